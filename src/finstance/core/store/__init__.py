"""An instance's store: one database per instance (SQLite file or PostgreSQL), schema by Alembic."""

from finstance.core.store.engine import Store

__all__ = ["Store"]
