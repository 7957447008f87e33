"""finstance: Flinks-compatible bank-data instances with per-country data residency."""

__version__ = "0.1.0"
