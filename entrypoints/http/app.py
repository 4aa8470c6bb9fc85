"""``make_app(hamyon, config)``: the Tornado application, built from the one route table."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import tornado.routing
import tornado.web

from application.hamyon import Hamyon
from entrypoints.console.app import console_rules
from entrypoints.http.context import HttpConfig, HttpContext, RateLimiter
from entrypoints.http.converter import RequestShapes
from entrypoints.http.handlers.system import NotFoundHandler
from entrypoints.http.jsonio import encode
from entrypoints.http.metrics import Metrics
from entrypoints.http.openapi import REQUESTS, openapi_document
from entrypoints.http.routes import Route, by_path, tornado_pattern
from entrypoints.http.table import ROUTES

# Every handler reads a body of any size itself (``ApiHandler.start_body``: kept up to
# ``HttpConfig.max_body_bytes``, the rest dropped, then a JSON 413); Tornado's own limit only
# guards a handler that would not. The whole body must arrive within BODY_TIMEOUT seconds.
SERVER_MAX_BODY_BYTES = 1024 * 1024
BODY_TIMEOUT = 60.0


def make_app(hamyon: Hamyon, config: HttpConfig | Any = None, *,
             routes: Iterable[Route] = ROUTES,
             inbound: Mapping[str, Any] | None = None) -> tornado.web.Application:
    """``config`` is an ``HttpConfig`` or the service ``Settings`` (read by ``from_settings``);
    ``inbound`` holds the gateways' inbound protocols (webhooks, callbacks) by gateway name."""
    if not isinstance(config, HttpConfig):
        config = HttpConfig() if config is None else HttpConfig.from_settings(config)
    table = tuple(routes)
    context = HttpContext(
        hamyon=hamyon, config=config,
        verifier=config.verifier(),
        status_limiter=RateLimiter(config.status_requests_per_minute),
        validator=RequestShapes(REQUESTS), metrics=Metrics(), inbound=dict(inbound or {}))
    served = [(path, methods_routes[next(iter(methods_routes))].handler,
               {"context": context, "operations": methods_routes})
              for path, methods_routes in by_path(table).items()]
    rules: list[Any] = [tornado.web.url(tornado_pattern(path), handler, arguments)
                        for path, handler, arguments in served]
    rules += console_rules(context)  # the admin console's pages (SPEC §16)
    application = tornado.web.Application(
        rules,
        default_handler_class=NotFoundHandler, default_handler_args={
            "context": context, "patterns": [re.compile(tornado_pattern(path)) for path in by_path(table)]},
        openapi_text=encode(openapi_document(table)), hamyon_context=context,
        log_function=lambda handler: None,  # ApiHandler.on_finish writes the request line
        compress_response=False, xsrf_cookies=False, serve_traceback=False,
    )
    LiteralPaths.put_first(application, served)
    return application


class LiteralPaths(tornado.routing.Router):
    """The routes whose path has no parameter, found by one dictionary lookup before Tornado tries
    the rules' patterns one by one (a route near the end of the table was a regex match per route
    before it). A path that an earlier route's pattern also matches is left to the patterns, so
    every request goes to the same handler as without this router."""

    def __init__(self, application: tornado.web.Application,
                 targets: dict[str, tuple[Any, dict[str, Any]]]) -> None:
        self._application, self._targets = application, targets

    @classmethod
    def put_first(cls, application: tornado.web.Application,
                  served: Iterable[tuple[str, Any, dict[str, Any]]]) -> None:
        """``served``: (path template, handler, its arguments), in the order of the rules."""
        targets: dict[str, tuple[Any, dict[str, Any]]] = {}
        earlier: list[re.Pattern[str]] = []
        for path, handler, arguments in served:
            if "{" in path:
                earlier.append(re.compile(tornado_pattern(path)))
            elif path not in targets and not any(pattern.match(path) for pattern in earlier):
                targets[path] = (handler, arguments)
        # Ahead of the rule that hands every request to the patterns (the wildcard router).
        application.default_router.rules.insert(
            0, tornado.routing.Rule(tornado.routing.AnyMatches(), cls(application, targets)))

    def find_handler(self, request: Any, **kwargs: Any) -> Any:
        target = self._targets.get(request.path)
        if target is None:
            return None  # the patterns decide
        return self._application.get_handler_delegate(request, *target)


def make_server_options() -> dict[str, Any]:
    """Keyword arguments for ``tornado.httpserver.HTTPServer`` (``hamyon serve`` uses them)."""
    # proxy headers: ApiHandler.client_ip
    return {"max_body_size": SERVER_MAX_BODY_BYTES, "body_timeout": BODY_TIMEOUT}
