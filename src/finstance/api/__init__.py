"""The HTTP face of one instance: a Flinks-compatible API built by :func:`create_app`."""

from finstance.api.app import create_app

__all__ = ["create_app"]
