"""Routing: the paths without parameters are found by one lookup (``LiteralPaths``), and every
request still reaches the handler the route table's patterns, tried in order, give it."""

from __future__ import annotations

from typing import Any

import tornado.httputil
import tornado.web

from entrypoints.http.app import LiteralPaths, make_app
from entrypoints.http.context import HttpConfig
from entrypoints.http.routes import tornado_pattern
from entrypoints.http.table import ROUTES


def _request(path: str) -> tornado.httputil.HTTPServerRequest:
    return tornado.httputil.HTTPServerRequest(
        start_line=tornado.httputil.RequestStartLine("GET", path, "HTTP/1.1"),
        headers=tornado.httputil.HTTPHeaders({"Host": "127.0.0.1"}))


def _handler(app: tornado.web.Application, path: str) -> Any:
    delegate: Any = app.find_handler(_request(path))
    return delegate.handler_class, delegate.path_kwargs


def _by_patterns(app: tornado.web.Application, path: str) -> Any:
    """What Tornado's rules alone give the path (the patterns in order, then the default)."""
    delegate: Any = app.wildcard_router.find_handler(_request(path))
    if delegate is None:
        return app.settings.get("default_handler_class", tornado.web.ErrorHandler), {}
    return delegate.handler_class, delegate.path_kwargs


def _sample(path: str) -> str:
    return path.replace("{", "").replace("}", "")  # a parameter stands for a value of its name


def test_every_route_and_stranger_paths_reach_the_handler_the_patterns_give():
    app = make_app(object(), HttpConfig(jwt_secret="x" * 40))  # type: ignore[arg-type]
    literal = [route.path for route in ROUTES if "{" not in route.path]
    paths = {_sample(route.path) for route in ROUTES} | {
        "/admin/", "/admin/payments/", "/nowhere/", "/api/payments/billing/charge",
        "/api/payments/billing/charge/x", "/api/payments/billing/charge/\n", ""}
    assert literal, "the table has paths without parameters"
    for path in sorted(paths):
        assert _handler(app, path) == _by_patterns(app, path), path
    # The lookup is in front: a literal path is found without trying a pattern.
    first = app.default_router.rules[0].target
    assert isinstance(first, LiteralPaths)
    assert first.find_handler(_request(literal[-1])) is not None


class _Early(tornado.web.RequestHandler):
    pass


class _Late(tornado.web.RequestHandler):
    pass


def test_a_literal_path_an_earlier_pattern_also_matches_stays_with_that_pattern():
    """Order decides, as Tornado's rules do: ``/items/{id}/`` listed first takes ``/items/all/``."""
    served = [("/items/{id}/", _Early, {}), ("/items/all/", _Late, {}), ("/things/a.b/", _Late, {})]
    app = tornado.web.Application([tornado.web.url(tornado_pattern(path), handler, arguments)
                                   for path, handler, arguments in served])
    LiteralPaths.put_first(app, served)
    assert _handler(app, "/items/all/") == (_Early, {"id": b"all"})  # Tornado decodes later
    assert _handler(app, "/things/a.b/") == (_Late, {})
    assert app.default_router.rules[0].target.find_handler(_request("/things/a.b/")) is not None
    assert app.default_router.rules[0].target.find_handler(_request("/items/all/")) is None
    assert _handler(app, "/things/aXb/") == _by_patterns(app, "/things/aXb/")
