"""Operations: liveness, readiness, the OpenAPI document, Swagger UI, Prometheus metrics, and
the JSON 404 for every unknown path."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from entrypoints.http.errors import HttpError
from entrypoints.http.request_handler import ApiHandler, log
from entrypoints.http.schemas import Health

DOCS_ASSETS = ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js",
               "favicon-32x32.png", "favicon-16x16.png")

DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hamyon API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"><link rel="icon" href="/docs/favicon-32x32.png">
</head><body><div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/swagger-ui-standalone-preset.js"></script>
<script>window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true,
presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "StandaloneLayout"});
</script></body></html>"""

FALLBACK_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hamyon API</title></head><body>
<h1>Hamyon API</h1><p>Swagger UI is not installed (<code>pip install swagger-ui-bundle-v2</code>).
The OpenAPI document is at <a href="/openapi.json">/openapi.json</a>.</p></body></html>"""


def swagger_ui_dir() -> Path | None:
    """Where the installed Swagger UI assets are (swagger-ui-bundle), or None."""
    try:
        from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-not-found]
    except ImportError:
        return None
    path = Path(str(swagger_ui_path))
    return path if (path / "swagger-ui-bundle.js").is_file() else None


class HealthHandler(ApiHandler):
    async def get(self) -> None:
        self.reply(Health(status="ok"))


class ReadyHandler(ApiHandler):
    async def get(self) -> None:
        try:
            await self.hamyon.admin.gateways()
        except Exception as error:  # any storage failure means not ready; the reason is logged
            log.warning("not_ready", request_id=self.request_id, error=type(error).__name__)
            self.reply(Health(status="unavailable"), 503)
            return
        self.reply(Health(status="ok"))


class OpenApiHandler(ApiHandler):
    async def get(self) -> None:
        self.finish(self.settings["openapi_text"])


class DocsHandler(ApiHandler):
    async def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(DOCS_PAGE if swagger_ui_dir() is not None else FALLBACK_PAGE)


class DocsAssetHandler(ApiHandler):
    async def get(self, asset: str) -> None:
        folder = swagger_ui_dir()
        if asset not in DOCS_ASSETS or folder is None:
            raise HttpError(404)
        self.set_header("Content-Type", mimetypes.guess_type(asset)[0] or "application/octet-stream")
        self.set_header("Cache-Control", "public, max-age=86400")
        self.finish((folder / asset).read_bytes())


class MetricsHandler(ApiHandler):
    async def get(self) -> None:
        body, content_type = self.context.metrics.exposition()
        self.set_header("Content-Type", content_type)
        self.finish(body)


class NotFoundHandler(ApiHandler):
    """Answers every unrouted path with the JSON 404; ``/`` leads to the API docs, and a GET of a
    path that is routed with a trailing slash is redirected there (308, the query kept)."""

    def initialize(self, **kwargs: Any) -> None:
        super().initialize(kwargs["context"], {})
        self.patterns = kwargs.get("patterns", [])

    def admit(self) -> None:
        path, method = self.request.path, self.request.method
        if method in ("GET", "HEAD") and path == "/":
            raise Redirect("/docs")
        if method in ("GET", "HEAD") and not path.endswith("/") and \
                any(pattern.match(path + "/") for pattern in self.patterns):
            query = f"?{self.request.query}" if self.request.query else ""
            raise Redirect(f"{path}/{query}")
        raise HttpError(404, message="Not found")

    async def prepare(self) -> None:
        try:
            await super().prepare()
        except Redirect as redirect:
            self.redirect(redirect.location, status=308)


class Redirect(Exception):
    def __init__(self, location: str) -> None:
        self.location = location
        super().__init__(location)

