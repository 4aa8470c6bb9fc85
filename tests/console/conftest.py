"""The admin console through a real server (``tests.http.conftest``'s ``api``: the memory adapter,
a manual clock, fake gateways), a world of real data for its pages, and one headless Chromium per
test module (``tests.gateways.sandbox.chromium``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

import pytest
from attrs import define

from application.billing import ChargeRequest
from entrypoints.console.link import admin_link
from tests.gateways.sandbox.chromium import chromium
from tests.http.conftest import Server, api  # noqa: F401  (the fixture)

CSRF = re.compile(r'name="_csrf" value="([^"]+)"')
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@define
class World:
    """What the pages show: two users' wallets, a completed and a pending payment, a charge,
    a webhook endpoint with its event, a platform key and a doctor."""

    completed: UUID
    pending: UUID
    endpoint: UUID


async def seed(server: Server) -> World:
    hamyon = server.hamyon
    completed = (await server.post("/api/payments/create/", {"gateway": "click", "amount": 50000})).json
    pending = (await server.post("/api/payments/create/", {"gateway": "payme", "amount": 20000})).json
    paid = UUID(completed["payment"]["id"])
    await hamyon.settlement.open_attempt("click", paid, "ext-1")
    await hamyon.settlement.complete_attempt("click", "ext-1")
    await server.fund("bob", "300000")
    await hamyon.billing.charge(ChargeRequest("bob", "consultation", quantity=1))
    endpoint = await hamyon.webhooks.create("https://platform.example/hooks", ["*"], "the platform",
                                            actor="root")
    await hamyon.webhooks.dispatch()
    await hamyon.api_keys.create("backend", ["charges", "read"], actor="root")
    await hamyon.doctors.save("7", {"first_name": "Dilnoza", "last_name": "Karimova",
                                    "specialization": "Cardiology"}, actor="root", create=True)
    return World(paid, UUID(pending["payment"]["id"]), endpoint.id)


async def link_url(server: Server, admin_id: str = "root") -> str:
    return await admin_link(server.hamyon, server.url, admin_id=admin_id, echo=lambda line: None)


async def http_session(server: Server, admin_id: str = "root") -> tuple[str, str]:
    """A session made by signing in over plain HTTP: its Cookie header and its CSRF token."""
    token = server.issuer.issue(admin_id, admin=True)
    page = await server.client.fetch(f"{server.url}/admin/sign-in/")
    pre = "; ".join(c.split(";")[0] for c in page.headers.get_list("Set-Cookie"))
    csrf = CSRF.search(page.body.decode()).group(1)
    signed = await server.client.fetch(
        f"{server.url}/admin/sign-in/", method="POST", body=urlencode({"_csrf": csrf, "token": token}),
        headers={"Cookie": pre}, follow_redirects=False, raise_error=False)
    assert signed.code == 303, signed.body
    cookie = next(c.split(";")[0] for c in signed.headers.get_list("Set-Cookie")
                  if c.startswith("hamyon_console="))
    dashboard = await server.client.fetch(f"{server.url}/admin/", headers={"Cookie": cookie})
    return cookie, CSRF.search(dashboard.body.decode()).group(1)


def wrong_token(csrf: str) -> str:
    """``csrf`` with its first character changed (never the token itself)."""
    return ("y" if csrf.startswith("x") else "x") + csrf[1:]


async def post(server: Server, path: str, fields: dict[str, str] | list[tuple[str, str]], cookie: str = "",
               **headers: str) -> Any:
    """A form's POST over plain HTTP, the answer as it is (redirects not followed)."""
    return await server.client.fetch(f"{server.url}{path}", method="POST", body=urlencode(fields),
                                     headers={**FORM, "Cookie": cookie, **headers},
                                     follow_redirects=False, raise_error=False)


def balance_of(wallets: list[Any]) -> Decimal:
    return wallets[0].balance.amount


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as driver:
        yield driver
