"""Schemathesis against the live server: for generated requests to every documented operation,
no 5xx, and every answer conforms to the OpenAPI document (status, content type, schema)."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from adapters.clock import ManualClock
from entrypoints.http import HttpConfig, TokenIssuer, make_app
from entrypoints.http.jsonio import encode
from entrypoints.http.openapi import openapi_document
from entrypoints.http.table import ROUTES
from tests.http.conftest import SECRET, _hamyon
from tests.http.loopback import listen

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.specs.openapi import checks as oas_checks  # noqa: E402

schema = schemathesis.openapi.from_dict(json.loads(encode(openapi_document(ROUTES))))


def no_bug(ctx, response, case) -> None:
    """A 500 is a bug; 501 (no adapter yet), 502 (gateway) and 503 (maintenance) are answers."""
    if response.status_code == 500 or response.status_code > 503:
        raise AssertionError(f"server error {response.status_code}: {response.text[:300]}")


CHECKS = [no_bug, oas_checks.status_code_conformance,
          oas_checks.content_type_conformance, oas_checks.response_schema_conformance]


@pytest.fixture(scope="module")
def live_server() -> Iterator[str]:
    """The app on its own event loop in a thread, so schemathesis can call it synchronously."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    state: dict[str, object] = {}

    async def start() -> None:
        hamyon = await _hamyon(ManualClock())
        await hamyon.wallets.adjust("root", 500000, "UZS", "fuzzing funds", actor="root")
        server, url = listen(make_app(hamyon, HttpConfig(jwt_secret=SECRET)))
        state.update(url=url, server=server, hamyon=hamyon)

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(30), "server did not start"

    async def stop() -> None:
        state["server"].stop()  # type: ignore[attr-defined]
        await state["hamyon"].close()  # type: ignore[attr-defined]

    try:
        yield str(state["url"])
    finally:
        asyncio.run_coroutine_threadsafe(stop(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(30)


TOKEN = TokenIssuer(SECRET).issue("root", admin=True, ttl_seconds=3600)


@schema.parametrize()
@settings(max_examples=6, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_answers_conform_to_the_openapi_document(case, live_server):
    case.call_and_validate(base_url=live_server, headers={"Authorization": f"Bearer {TOKEN}"},
                           checks=CHECKS, timeout=10)
