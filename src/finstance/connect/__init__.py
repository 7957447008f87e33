"""Connect: link an end-user's bank accounts, then read their accounts, transactions, KYC and statements.

The room of the Connect product, on every instance. Its declaration is :mod:`finstance.connect.product`.

- ``wire.py``: the BankingServices request bodies and response documents (shared with the SDK).
- ``tables.py``: tokens, sessions (RequestIds), logins and their data, Connect page flows.
- ``tokens.py``, ``sessions.py``: GenerateAuthorizeToken and Authorize (live, cached, MFA).
- ``aggregation.py``: the aggregation job, over the institution port; scheduled refreshes.
- ``data.py``: GetAccountsSummary, GetAccountsDetail, GetStatements (sync and Async).
- ``cards.py``: DeleteCard (every product forgets the login), scheduled refresh, stored MFA answers.
- ``api.py``: the routes of ``/v3/{customerId}/BankingServices``.
- ``web/``: the Connect pages an end-user goes through (``/v2/``) and the demo host page (``/demo``).
- ``reads.py``: the named reads other products use (a login's accounts and transactions).

This package imports nothing itself, so that the SDK can use ``wire.py`` alone.
"""
