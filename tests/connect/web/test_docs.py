"""``/docs`` works offline: Swagger UI's files are served by the instance itself, none from another host."""

from __future__ import annotations

import re

import httpx

EXPECTED_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


async def test_docs_references_no_other_host_and_serves_its_own_assets(toolbox: httpx.AsyncClient) -> None:
    page = await toolbox.get("/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "SwaggerUIBundle(" in page.text and "'/openapi.json'" in page.text
    assert re.findall(r"(?:https?:)?//[^\s\"'<>]+", page.text) == []  # no absolute URL, no host at all
    assert '"validatorUrl": null' in page.text  # Swagger UI would otherwise ask an online validator
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "http" not in csp

    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sorted(assets) == [
        "/docs/assets/favicon-32x32.png",
        "/docs/assets/swagger-ui-bundle.js",
        "/docs/assets/swagger-ui.css",
    ]
    for path in assets:
        served = await toolbox.get(path)
        assert served.status_code == 200, path
        suffix = path[path.rindex(".") :]
        assert served.headers["content-type"].startswith(EXPECTED_TYPES[suffix]), served.headers
        assert len(served.content) > 500
    script = await toolbox.get("/docs/assets/swagger-ui-bundle.js")
    assert b"SwaggerUIBundle" in script.content

    for missing in ("/docs/assets/index.html", "/docs/assets/..%2F__init__.py", "/docs/assets/nope.js"):
        refused = await toolbox.get(missing)
        assert refused.status_code == 404 and refused.json()["FlinksCode"] == "NOT_FOUND", missing
    assert (await toolbox.get("/openapi.json")).json()["openapi"].startswith("3.1")
