"""``admin_link``: the one-time sign-in URL ``hamyon admin-link`` prints (SPEC §16).

The link is valid for ten minutes and opens one session; the database keeps only its token's
hash, so any process of the service redeems it, once.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from application.hamyon import Hamyon
from entrypoints.console.handler import ROOT

LINK_PATH = f"{ROOT}sign-in/link/"


async def admin_link(hamyon: Hamyon, base_url: str, *, admin_id: str = "admin",
                     echo: Callable[[str], object] = print) -> str:
    """Make a link for ``admin_id`` (named in the audit log for the session's writes), print it
    with ``echo`` and return it. ``base_url`` is ``Settings.base_url`` (HAMYON_PUBLIC_URL, else
    the host and port the server listens on)."""
    link = await hamyon.console.make_link(admin_id)
    url = f"{base_url.rstrip('/')}{LINK_PATH}?{urlencode({'token': link.token})}"
    echo(url)
    return url
