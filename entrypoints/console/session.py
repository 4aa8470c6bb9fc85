"""The console's session: a signed cookie naming the admin, that expires, and its CSRF token.

The cookie holds ``admin|expires|session id|signature`` (HMAC-SHA256 under a key derived from the
service's secret), is HttpOnly and SameSite=Strict, and Secure behind https. Every form carries
the session's CSRF token, an HMAC of the session id that only a page of this session can show.
Before sign-in, the sign-in forms are guarded the same way by a short-lived pre-session cookie.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable

from attrs import frozen

SESSION_COOKIE = "hamyon_console"
PRESESSION_COOKIE = "hamyon_console_pre"
SESSION_SECONDS = 8 * 3600
PRESESSION_SECONDS = 3600
MAX_ADMIN_ID = 128


@frozen
class ConsoleSession:
    admin_id: str
    expires: int  # Unix seconds
    session_id: str


class SessionKeys:
    """Signs and checks session cookies and CSRF tokens. The key is derived from ``secret`` (the
    service's secret key); without one, a random key of this process (sessions then end with it)."""

    def __init__(self, secret: str, *, clock: Callable[[], float] = time.time) -> None:
        root = secret.encode("utf-8") if secret else secrets.token_bytes(32)
        self._key = hmac.new(root, b"hamyon console session v1", hashlib.sha256).digest()
        self._clock = clock

    def new_session(self, admin_id: str, seconds: int = SESSION_SECONDS) -> tuple[ConsoleSession, str]:
        """A session for ``admin_id`` and the cookie value that carries it."""
        session = ConsoleSession(admin_id[:MAX_ADMIN_ID], int(self._clock()) + seconds,
                                 secrets.token_urlsafe(18))
        name = base64.urlsafe_b64encode(session.admin_id.encode("utf-8")).decode("ascii")
        body = f"{name}|{session.expires}|{session.session_id}"
        return session, f"{body}|{self._sign('session', body)}"

    def session(self, cookie: str | None) -> ConsoleSession | None:
        """The session a cookie carries, or None when it is missing, forged or expired."""
        name, _, rest = (cookie or "").partition("|")
        expires, _, rest = rest.partition("|")
        session_id, _, signature = rest.partition("|")
        body = f"{name}|{expires}|{session_id}"
        if not signature or not hmac.compare_digest(signature, self._sign("session", body)):
            return None
        if not expires.isdigit() or int(expires) <= self._clock():
            return None
        try:
            admin_id = base64.urlsafe_b64decode(name.encode("ascii")).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return None
        return ConsoleSession(admin_id, int(expires), session_id)

    def csrf_token(self, session_id: str) -> str:
        return self._sign("csrf", session_id)

    def csrf_matches(self, session_id: str, sent: str | None) -> bool:
        return bool(sent) and hmac.compare_digest(self.csrf_token(session_id), sent or "")

    def _sign(self, purpose: str, text: str) -> str:
        digest = hmac.new(self._key, f"{purpose}:{text}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")
