"""The Tornado HTTP entrypoint: ``make_app(hamyon, HttpConfig(...))``."""

from entrypoints.http.app import make_app, make_server_options
from entrypoints.http.auth import Principal, TokenIssuer, TokenVerifier
from entrypoints.http.context import HttpConfig

__all__ = ["HttpConfig", "Principal", "TokenIssuer", "TokenVerifier", "make_app",
           "make_server_options"]
