"""Enrich: attributes and categorization computed from a login's transactions, on every instance."""
