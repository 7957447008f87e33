"""Flinks Connect: the pages an end-user goes through to link a bank account, served by each instance.

- :mod:`finstance.connect.options`: the Connect URL parameters, validated into :class:`ConnectOptions`.
- :mod:`finstance.connect.flow`: the flow itself, screen by screen, over the same session service as
  ``/Authorize`` (so a connection made here and one made through the API are the same thing).
- :mod:`finstance.connect.pages`: HTML rendering (server-side, no external resources) in English and French.
"""
