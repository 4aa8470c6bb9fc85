"""``ConsoleHandler``, the request handler every console page derives from: the language, the
session, the CSRF check, rendering, and how a form's outcome is shown (a redirect back with a
notice or the use case's error)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import structlog
import tornado.web

from application.hamyon import Hamyon
from domain.errors import DomainError
from domain.money import Money
from entrypoints.console.session import SESSION_COOKIE, SESSION_SECONDS, ConsoleSession, SessionKeys
from entrypoints.console.texts import LANGUAGES, choose_language, translate
from entrypoints.http.context import HttpContext
from entrypoints.http.errors import HttpError, status_for
from entrypoints.http.i18n import error_text

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
LANGUAGE_COOKIE = "hamyon_console_lang"
ROOT = "/admin/"
MAX_NOTICE = 300
# Nothing but this origin: no CDN, no inline script, no framing.
POLICY = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
          "frame-ancestors 'none'; base-uri 'none'")
NAV = (("", "Dashboard"), ("payments/", "Payments"), ("wallets/", "Wallets"), ("billing/", "Billing"),
       ("gateways/", "Gateways"), ("webhooks/", "Webhooks"), ("doctors/", "Doctors"),
       ("api-keys/", "API keys"))
log = structlog.get_logger("hamyon.console")


class ConsoleHandler(tornado.web.RequestHandler):
    """A page for a signed-in admin (``public`` pages are the sign-in ones). A POST must carry
    the session's CSRF token in ``_csrf``, else 403."""

    public = False
    context: HttpContext
    keys: SessionKeys
    language = "en"
    session: ConsoleSession | None = None

    def initialize(self, context: HttpContext, keys: SessionKeys) -> None:
        self.context = context
        self.keys = keys

    @property
    def hamyon(self) -> Hamyon:
        return self.context.hamyon

    @property
    def admin_id(self) -> str:
        assert self.session is not None, "the page requires a session"
        return self.session.admin_id

    def get_template_path(self) -> str:
        return str(TEMPLATES)

    def compute_etag(self) -> str | None:
        return None

    def set_default_headers(self) -> None:
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Security-Policy", POLICY)
        self.set_header("X-Frame-Options", "DENY")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")  # a sign-in link's token stays here

    @property
    def is_https(self) -> bool:
        return self.request.protocol == "https" or \
            self.request.headers.get("X-Forwarded-Proto", "").strip().lower() == "https"

    async def prepare(self) -> None:
        self._started = time.perf_counter()
        self.language = self._language()
        self.session = self.keys.session(self.get_cookie(SESSION_COOKIE))
        if self.session is not None and await self.hamyon.console.signed_out(self.session.session_id):
            self.session = None  # signed out before its time: a copy of its cookie opens nothing
            self.end_session()
        if self.public:
            return
        if self.session is None:
            if self.request.method in ("GET", "HEAD"):
                self.redirect(f"{ROOT}sign-in/")
                return
            raise HttpError(403, message="Sign in first")
        if self.request.method == "POST" and not self.keys.csrf_matches(
                self.session.session_id, self.get_body_argument("_csrf", None)):
            raise HttpError(403, message="The form's CSRF token is missing or wrong")

    def _language(self) -> str:
        asked = self.get_query_argument("lang", None)
        if asked in LANGUAGES:
            self.set_cookie(LANGUAGE_COOKIE, asked, path=ROOT, httponly=True, samesite="Strict",
                            secure=self.is_https, expires_days=365)
            return asked
        return choose_language(self.get_cookie(LANGUAGE_COOKIE), self.request.headers.get("Accept-Language"))

    # --- the session cookie ------------------------------------------------------------------

    def start_session(self, admin_id: str) -> None:
        _, cookie = self.keys.new_session(admin_id)
        self.set_cookie(SESSION_COOKIE, cookie, path=ROOT, httponly=True, samesite="Strict",
                        secure=self.is_https, max_age=SESSION_SECONDS)
        log.info("console_sign_in", admin_id=admin_id)

    def end_session(self) -> None:
        self.clear_cookie(SESSION_COOKIE, path=ROOT)

    # --- rendering ---------------------------------------------------------------------------

    def t(self, text: str, **values: object) -> str:
        return translate(text, self.language, **values)

    def page(self, template: str, **values: Any) -> None:
        csrf = self.keys.csrf_token(self.session.session_id) if self.session else ""
        namespace: dict[str, Any] = {
            "t": self.t, "lang": self.language, "languages": LANGUAGES, "csrf": csrf, "nav": NAV,
            "admin": self.session.admin_id if self.session else "", "root": ROOT,
            "here": self.request.path, "money": money, "when": when, "minor": Money,
            "part": lambda text: quote(str(text), safe=""), "query_for": self.query_for,
            "notice": self._flash("notice"), "error": self._flash("error")}
        self.render(template, **{**namespace, **values})

    def query_for(self, page: int) -> str:
        """This page's query with another page number (what the pager links to)."""
        kept = {name: values[-1].decode("utf-8", "replace")
                for name, values in self.request.query_arguments.items()
                if name not in ("page", "notice", "error", "lang")}
        return urlencode({**kept, "page": page})

    def _flash(self, name: str) -> str:
        text = self.get_query_argument(name, "") or ""
        return self.t(text[:MAX_NOTICE]) if text else ""

    async def act(self, action: Callable[[], Awaitable[object]], back: str, done: str) -> None:
        """Run a form's use case; go back to ``back`` with ``done`` or with the refusal's text."""
        try:
            await action()
        except DomainError as refusal:
            self.redirect_to(back, error=error_text(refusal.message, self.language))
            return
        self.redirect_to(back, notice=done)

    def refused(self, refusal: DomainError) -> str:
        """A refused form's error line, for its page shown again with status 400."""
        self.set_status(400)
        return error_text(refusal.message, self.language)

    def redirect_to(self, path: str, **query: str) -> None:
        self.redirect(f"{path}?{urlencode(query)}" if query else path, status=303)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        error = kwargs.get("exc_info", (None, None, None))[1]
        message = error.message if isinstance(error, (HttpError, DomainError)) else ""
        if isinstance(error, DomainError):
            status_code = status_for(error)
        elif isinstance(error, HttpError):
            status_code = error.status
        self.set_status(status_code)
        self.render("error.html", t=self.t, lang=self.language, status=status_code,
                    message=error_text(message, self.language) if message else "", root=ROOT)

    def log_exception(self, typ: Any, value: BaseException | None, tb: Any) -> None:
        if isinstance(value, (DomainError, HttpError, tornado.web.HTTPError)):
            return
        log.error("console_error", path=self.request.path, exc_info=(typ, value, tb))

    def on_finish(self) -> None:
        elapsed = time.perf_counter() - getattr(self, "_started", time.perf_counter())
        log.info("request", method=self.request.method, route="/admin/", status=self.get_status(),
                 duration_ms=round(elapsed * 1000, 2),
                 user_id=self.session.admin_id if self.session else None)


def money(amount: Money | None) -> str:
    if amount is None:
        return "—"
    return f"{amount.amount:,} {amount.currency.value}"


def when(moment: Any) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment is not None else "—"
