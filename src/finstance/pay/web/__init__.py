"""The payment widget's pages (pay/widget.py is the flow; this package renders it and routes to it)."""
