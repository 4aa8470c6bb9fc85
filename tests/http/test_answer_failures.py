"""A failure while answering never hides a committed change: the payer of a sandbox payment
whose stored return URL no browser can be sent to lands on the finished page, not a 500; and an
unexpected failure after a request committed says so (``committed: true`` with its events), so
the client reads the result instead of doing it again."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import tornado.httpclient
import tornado.httpserver
import tornado.testing

from adapters.gateways.sandbox import SandboxGateway
from adapters.memory import MemoryStorage
from application.gateways.redirect import RedirectFlow
from application.payments import CreatePayment
from entrypoints.bootstrap import bootstrap
from entrypoints.http import HttpConfig, make_app
from entrypoints.http.request_handler import ApiHandler
from entrypoints.http.routes import NONE, Route
from entrypoints.http.table import ROUTES

SECRET = "answer-failures-jwt-secret-long-enough-0123"


class AdjustThenFail(ApiHandler):
    """Commits a change, then fails while answering (a bug in a renderer would look like this)."""

    async def post(self) -> None:
        await self.hamyon.wallets.adjust("bob", 5000, "UZS", "test credit", actor="root")
        raise RuntimeError("the answer could not be rendered")


async def serve(storage: MemoryStorage, *extra: Route) -> tuple[Any, tornado.httpserver.HTTPServer, str]:
    sock, port = tornado.testing.bind_unused_port()
    url = f"http://127.0.0.1:{port}"
    gateway = SandboxGateway(url, "a-secret-key-for-the-answer-failure-tests-0123")
    hamyon = await bootstrap(storage=storage, gateways=[gateway], active_gateways={"sandbox"},
                             retry=None)
    app = make_app(hamyon, HttpConfig(jwt_secret=SECRET), routes=(*ROUTES, *extra),
                   inbound={"sandbox": RedirectFlow(hamyon, gateway)})
    server = tornado.httpserver.HTTPServer(app)
    server.add_socket(sock)
    return hamyon, server, url


async def test_a_stored_return_url_no_browser_can_take_sends_the_payer_to_the_finished_page():
    storage = MemoryStorage()
    hamyon, server, url = await serve(storage)
    client = tornado.httpclient.AsyncHTTPClient(force_instance=True)
    try:
        created = await hamyon.payments.create(CreatePayment(
            "alice", "sandbox", 20000, return_url="https://shop.example/back"))
        payment_id = created.payment.id
        async with storage.unit_of_work() as uow:  # a row written before URLs were checked
            legacy = await uow.payments.lock(payment_id)
            legacy.return_url = "https://shop.example/\r\nSet-Cookie: stolen=1"
            await uow.payments.save(legacy)
            await uow.commit()
        pressed = await client.fetch(f"{url}/sandbox/pay/{payment_id}", method="POST",
                                     body="action=pay", follow_redirects=False, raise_error=False,
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert pressed.code == 303
        assert pressed.headers["Location"] == f"/sandbox/done/{payment_id}"
        assert (await hamyon.admin.payment(UUID(str(payment_id)))).status.value == "completed"
        assert (await hamyon.wallets.get("alice", "UZS")).balance.amount == 20000
    finally:
        client.close()
        server.stop()
        await hamyon.close()


async def test_a_failure_after_a_commit_answers_that_the_change_was_made():
    hamyon, server, url = await serve(MemoryStorage(), Route(
        "POST", "/test/adjust-then-fail/", AdjustThenFail, "commits, then fails", NONE))
    client = tornado.httpclient.AsyncHTTPClient(force_instance=True)
    try:
        answer = await client.fetch(f"{url}/test/adjust-then-fail/", method="POST", body=b"{}",
                                    raise_error=False)
        body = tornado.escape.json_decode(answer.body)
        assert answer.code == 500
        assert body["committed"] is True and body["code"] == "answer_failed"
        assert "request_id" in body and body["events"]
        assert (await hamyon.wallets.get("bob", "UZS")).balance.amount == 5000  # it did happen
    finally:
        client.close()
        server.stop()
        await hamyon.close()
