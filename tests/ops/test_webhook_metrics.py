"""Webhook outcomes by gateway and code are counted and scraped from /metrics."""

from __future__ import annotations

import base64
import json
import re

import tornado.httpserver
import tornado.testing
from tornado.httpclient import AsyncHTTPClient

from adapters.clock import ManualClock
from entrypoints.bootstrap import bootstrap
from entrypoints.http.app import make_app
from entrypoints.http.context import HttpConfig


def metric(text: str, gateway: str, code: str) -> float:
    found = re.search(rf'hamyon_webhooks_total\{{[^}}]*gateway="{gateway}"[^}}]*code="{code}"[^}}]*\}} (\S+)',
                      text) or re.search(
        rf'hamyon_webhooks_total\{{[^}}]*code="{code}"[^}}]*gateway="{gateway}"[^}}]*\}} (\S+)', text)
    return float(found.group(1)) if found else 0.0


async def test_click_and_payme_answers_are_counted_by_code():
    hamyon = await bootstrap("memory://", clock=ManualClock())
    app = make_app(hamyon, HttpConfig(jwt_secret="metrics-test-secret-" * 3))
    sock, port = tornado.testing.bind_unused_port()
    server = tornado.httpserver.HTTPServer(app)
    server.add_sockets([sock])
    client = AsyncHTTPClient()
    base = f"http://127.0.0.1:{port}"
    try:
        await client.fetch(f"{base}/api/payments/click/prepare/", method="POST", body="garbage=1",
                           raise_error=False)
        auth = base64.b64encode(b"Paycom:wrong").decode()
        await client.fetch(f"{base}/api/payments/payme/webhook/", method="POST",
                           headers={"Authorization": f"Basic {auth}"},
                           body=json.dumps({"method": "CheckTransaction", "params": {}, "id": 1}),
                           raise_error=False)
        scraped = (await client.fetch(f"{base}/metrics")).body.decode()
    finally:
        server.stop()
        await hamyon.close()
    assert metric(scraped, "click", "-1") == 1.0  # Click is not configured here
    assert metric(scraped, "payme", "-32504") == 1.0
