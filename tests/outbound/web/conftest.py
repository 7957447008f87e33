"""The real `finstance serve` and Chromium of the Connect page tests, shared with the consent page tests."""

from tests.connect.web.conftest import artifacts, browser, page, servers

__all__ = ["artifacts", "browser", "page", "servers"]
