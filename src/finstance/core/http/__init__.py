"""The HTTP face every product shares: the app factory, errors as Flinks bodies, middleware, health."""
