"""Signing in to the console: by a one-time link (``hamyon admin-link``) or by a pasted admin JWT,
checked with the API's own token verifier; and signing out.

The link's GET only shows a button (a link previewer fetching the URL must not spend it); its POST
redeems the link. Before a session exists, these forms are guarded by a pre-session cookie and the
token derived from it, as the session's forms are by the session's.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from entrypoints.console.handler import ROOT, ConsoleHandler
from entrypoints.console.session import PRESESSION_COOKIE, PRESESSION_SECONDS
from entrypoints.http.errors import HttpError

MAX_TOKEN = 8192


class PublicHandler(ConsoleHandler):
    public = True

    def presession_csrf(self) -> str:
        """The sign-in form's CSRF token, from this browser's pre-session cookie (made if new)."""
        marker = self.get_cookie(PRESESSION_COOKIE)
        if not marker:
            marker = secrets.token_urlsafe(18)
            self.set_cookie(PRESESSION_COOKIE, marker, path=ROOT, httponly=True, samesite="Strict",
                            secure=self.is_https, max_age=PRESESSION_SECONDS)
        return self.keys.csrf_token(f"pre:{marker}")

    def check_presession(self) -> None:
        marker = self.get_cookie(PRESESSION_COOKIE) or ""
        if not marker or not self.keys.csrf_matches(f"pre:{marker}", self.get_body_argument("_csrf", None)):
            raise HttpError(403, message="The form's CSRF token is missing or wrong")

    def sign_in_page(self, template: str = "sign_in.html", *, refusal: str = "", status: int = 200,
                     **values: object) -> None:
        self.set_status(status)
        self.page(template, csrf=self.presession_csrf(), refusal=refusal, **values)

    def signed_in(self, admin_id: str) -> None:
        self.clear_cookie(PRESESSION_COOKIE, path=ROOT)
        self.start_session(admin_id)
        self.redirect(ROOT, status=303)


class SignInHandler(PublicHandler):
    def get(self) -> None:
        if self.session is not None:
            self.redirect(ROOT)
            return
        self.sign_in_page()

    async def post(self) -> None:
        self.check_presession()
        token = (self.get_body_argument("token", "") or "").strip()
        if token.lower().startswith("bearer "):
            token = token[7:].strip()
        if not token or len(token) > MAX_TOKEN:
            self.sign_in_page(refusal=self.t("Paste an admin token"), status=400)
            return
        try:
            principal = await self.context.verifier.authenticate(f"Bearer {token}")
        except HttpError as refusal:
            self.sign_in_page(refusal=self.t(refusal.message), status=401)
            return
        if not principal.is_admin:
            self.sign_in_page(refusal=self.t("This token is not an admin's (role: admin)"), status=403)
            return
        self.signed_in(principal.user_id)


class LinkSignInHandler(PublicHandler):
    def get(self) -> None:
        token = self.get_query_argument("token", "") or ""
        self.sign_in_page("sign_in_link.html", token=token[:MAX_TOKEN])

    async def post(self) -> None:
        self.check_presession()
        token = (self.get_body_argument("token", "") or "").strip()
        admin_id = await self.hamyon.console.redeem_link(token) if 0 < len(token) <= MAX_TOKEN else None
        if admin_id is None:
            self.sign_in_page(refusal=self.t("This sign-in link was used already or has expired"),
                              status=403)
            return
        self.signed_in(admin_id)


class SignOutHandler(ConsoleHandler):
    async def post(self) -> None:
        session = self.session
        assert session is not None, "the page requires a session"
        await self.hamyon.console.sign_out(session.session_id, session.admin_id,
                                           datetime.fromtimestamp(session.expires, UTC))
        self.end_session()
        self.redirect(f"{ROOT}sign-in/", status=303)
