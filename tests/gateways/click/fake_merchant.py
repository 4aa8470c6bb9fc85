"""A fake Click Merchant API for the fiscal calls, on a free loopback port, started inside the
test's event loop: ``async with fake_merchant(...) as fake:`` then point a client at ``fake.url``.

It is scriptable: it checks the ``Auth`` header (``merchant_user_id:sha1(timestamp + secret):
timestamp``, the timestamp equal to ``now`` when one is given) and answers 401 with
``error_code`` -1 when it does not verify; it fails the first ``failures`` calls with HTTP 500;
it answers the next call after ``delay`` seconds, once; it answers ``submit_answer`` to
``submit_items`` and ``receipt_answer`` to the receipt read (a dict as JSON, a str as is). It
records every request it got, in ``requests``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import tornado.web
from attrs import define, field, frozen

from tests.http.loopback import listen

QR_CODE_URL = "https://ofd.soliq.uz/check?t=EP000000000025&r=121&c=20260115120000&s=800031554082"


@frozen
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: Any  # the JSON body, None without one


@define
class FakeMerchant:
    merchant_user_id: str
    secret_key: str
    now: int | None = None
    failures: int = 0
    delay: float = 0.0
    submit_answer: Any = field(factory=lambda: {"error_code": 0, "error_note": "Success"})
    receipt_answer: Any = field(factory=lambda: {"paymentId": 1234567, "qrCodeURL": QR_CODE_URL})
    requests: list[Received] = field(factory=list)
    url: str = ""
    in_flight: int = 0

    def verifies(self, auth: str) -> bool:
        user, _, rest = auth.partition(":")
        digest, _, timestamp = rest.partition(":")
        expected = hashlib.sha1(f"{timestamp}{self.secret_key}".encode()).hexdigest()
        return user == self.merchant_user_id and digest == expected \
            and (self.now is None or timestamp == str(self.now))

    async def serve(self, handler: tornado.web.RequestHandler, answer: Any) -> None:
        request = handler.request
        self.requests.append(Received(request.method or "", request.path, dict(request.headers),
                                      json.loads(request.body) if request.body else None))
        self.in_flight += 1
        try:
            await self._answer(handler, answer)
        finally:
            self.in_flight -= 1

    async def _answer(self, handler: tornado.web.RequestHandler, answer: Any) -> None:
        if self.delay:
            delay, self.delay = self.delay, 0.0
            await asyncio.sleep(delay)
        if self.failures:
            self.failures -= 1
            handler.set_status(500)
            answer = "Internal Server Error"
        elif not self.verifies(handler.request.headers.get("Auth", "")):
            handler.set_status(401)
            answer = {"error_code": -1, "error_note": "Authorization failed"}
        handler.finish(answer if isinstance(answer, str) else json.dumps(answer))


class MerchantHandler(tornado.web.RequestHandler):
    def initialize(self, fake: FakeMerchant) -> None:
        self.fake = fake

    async def post(self) -> None:
        await self.fake.serve(self, self.fake.submit_answer)

    async def get(self, service_id: str, payment_id: str) -> None:
        await self.fake.serve(self, self.fake.receipt_answer)


@asynccontextmanager
async def fake_merchant(merchant_user_id: str, secret_key: str, **script: Any) -> AsyncIterator[FakeMerchant]:
    fake = FakeMerchant(merchant_user_id, secret_key, **script)
    app = tornado.web.Application([
        (r"/v2/merchant/payment/ofd_data/submit_items", MerchantHandler, {"fake": fake}),
        (r"/v2/merchant/payment/ofd_data/([0-9]+)/([0-9]+)", MerchantHandler, {"fake": fake}),
    ])
    server, url = listen(app)
    fake.url = f"{url}/v2/merchant"
    try:
        yield fake
    finally:
        server.stop()
        while fake.in_flight:  # a slow answer the client gave up on is still being written
            await asyncio.sleep(0.01)
        await server.close_all_connections()
