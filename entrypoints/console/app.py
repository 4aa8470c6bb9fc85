"""``console_rules(context)``: the console's routes, for ``make_app`` to add to the API's.

The page modules (``entrypoints.console.routes``) are imported when the rules are built: they
import the HTTP edge's modules, which import this one (``make_app``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import tornado.web

from entrypoints.console.session import SessionKeys

if TYPE_CHECKING:
    from entrypoints.http.context import HttpContext


def console_rules(context: HttpContext) -> list[Any]:
    """The console's pages and its stylesheet, sessions signed with the service's secret."""
    from entrypoints.console.handler import ROOT, STATIC
    from entrypoints.console.routes import PAGES

    config = context.config
    arguments = {"context": context, "keys": SessionKeys(config.session_secret or config.jwt_secret)}
    rules: list[Any] = [tornado.web.url(f"{ROOT}{path}$", handler, arguments) for path, handler in PAGES]
    rules.append(tornado.web.url(f"{ROOT}static/(.*)", tornado.web.StaticFileHandler, {"path": str(STATIC)}))
    return rules
