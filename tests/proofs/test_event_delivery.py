"""Events reach the platform across processes and crashes (SPEC §12): two processes delivering
side by side never send one event to one endpoint twice or at the same time, and an event whose
change was acknowledged is delivered even when the server was SIGKILLed right after answering."""

from __future__ import annotations

import json
import os
import signal
import threading
from collections import Counter
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from application.payments import CreatePayment
from entrypoints.http.auth import TokenIssuer
from tests.ops.harness import ServerProcess, call, clean_env, free_port
from tests.proofs.databases import facade
from tests.proofs.processes import run_together
from tests.webhooks.receiver import receiving, verify

EVENTS = 30
SECRET = "proof-jwt-secret-of-at-least-32-characters"


@pytest.mark.slow
async def test_two_processes_deliver_each_event_to_each_endpoint_once_and_never_at_once(database):
    async with receiving() as receiver, database() as db:
        receiver.answers.update({"/a": (200, 0.1), "/b": (200, 0.1)})
        async with facade(db, first=True) as (hamyon, _):
            every = await hamyon.webhooks.create(receiver.url("/a"), ["*"], actor="proof")
            created_only = await hamyon.webhooks.create(receiver.url("/b"), ["payment.created"],
                                                        actor="proof")
            for n in range(EVENTS):
                await hamyon.payments.create(CreatePayment(f"u{n % 5}", "sandbox", Decimal(20_000)))
        answers = await run_together([{"scenario": "deliveries", "database": db.as_json()}] * 2)
        delivered = Counter((got.path, got.headers["Hamyon-Event-Id"]) for got in receiver.received)
        secrets = {"/a": every.secret, "/b": created_only.secret}
        for got in receiver.received:
            assert verify(secrets[got.path], got.headers["Hamyon-Signature"], got.body)
    assert [answer["started"] > 0 for answer in answers] == [True, True], answers  # both took part
    assert sum(answer["started"] for answer in answers) == 2 * EVENTS
    assert len(delivered) == 2 * EVENTS and set(delivered.values()) == {1}, delivered
    assert receiver.most_at_once == 1


@pytest.mark.slow
def test_an_event_acknowledged_just_before_a_sigkill_is_delivered_after_the_restart(tmp_path: Path):
    received: list[tuple[dict[str, str], bytes]] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            return None

    hooks = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=hooks.serve_forever, daemon=True).start()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = clean_env(tmp_path, HAMYON_PORT=str(port), HAMYON_JWT_SECRET=SECRET)
    admin, payer = TokenIssuer(SECRET).issue("root", admin=True), TokenIssuer(SECRET).issue("42")
    try:
        # The first process delivers nothing: what reaches the platform later can only come
        # from the outbox row committed with the payment's completion.
        with ServerProcess("serve", "--no-jobs", env=env, cwd=tmp_path) as server:
            server.wait_ready(url)
            status, text = call(f"{url}/api/admin/webhooks/", method="POST", token=admin, body={
                "url": f"http://127.0.0.1:{hooks.server_address[1]}/hooks", "events": ["payment.completed"]})
            assert status == 201, text
            secret = json.loads(text)["webhook"]["secret"]
            status, text = call(f"{url}/api/payments/create/", method="POST", token=payer,
                                body={"gateway": "sandbox", "amount": 50000})
            assert status == 201, text
            payment_id = json.loads(text)["payment"]["id"]
            status, _ = call(f"{url}/sandbox/pay/{payment_id}", method="POST", body={"action": "pay"})
            os.killpg(server.process.pid, signal.SIGKILL)  # right after the completing answer
            server.process.wait()
            assert status == 200  # the sandbox's done page, after its 303
            assert received == []
        with ServerProcess("serve", env=env, cwd=tmp_path) as restarted:
            restarted.wait_ready(url)
            for _ in range(600):
                if any(json.loads(body)["data"]["id"] == payment_id for _, body in received):
                    break
                threading.Event().wait(0.05)
    finally:
        hooks.shutdown()
    completed = [(headers, body) for headers, body in received
                 if json.loads(body)["data"]["id"] == payment_id]
    assert completed, "the completed payment's event never arrived"
    headers, body = completed[-1]
    assert json.loads(body)["type"] == "payment.completed"
    assert json.loads(body)["data"]["status"] == "completed"
    assert verify(secret, headers["Hamyon-Signature"], body)
