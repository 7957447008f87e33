"""The Connect pages: the web flow an end-user goes through to link a bank account, and the demo host page."""
