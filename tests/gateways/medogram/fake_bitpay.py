"""A fake medogram (BitPay protocol) on 127.0.0.1: a tiny Tornado app the tests start and script.

It keeps every request it got, hands out ``id_get`` 123, 124, ..., and answers a verification
by the verdict scripted for the ``trans_id`` (``by_trans_id``), else for the session: ``paid`` (1
the first time, 11 after), ``paid_before`` (11), ``refused`` (-4), ``bad_trans_id`` (-2),
``wrong_amount``, ``wrong_factor``, ``bare`` (a bare status). ``failing`` makes every endpoint
answer that status code instead.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import tornado.httpserver
import tornado.web
from attrs import define, field

from tests.http.loopback import listen

API_KEY = "test-medogram-api-key"


@define
class Seen:
    method: str
    path: str
    body: dict[str, Any]


@define
class FakeBitPay:
    url: str = ""
    seen: list[Seen] = field(factory=list)
    sessions: dict[str, dict[str, Any]] = field(factory=dict)
    verdicts: dict[str, str] = field(factory=dict)
    by_trans_id: dict[str, str] = field(factory=dict)  # over the session's verdict
    default_verdict: str = "paid"
    bare_status: int = 1
    failing: int | None = None  # every request answered with this status code
    hang: bool = False  # no answer until ``release`` (timeouts)
    released: asyncio.Event = field(factory=asyncio.Event)
    send_answer: str | None = None  # a scripted gateway-send body ("-2", "oops")
    next_id: int = 123

    def requests_to(self, endpoint: str) -> list[Seen]:
        return [seen for seen in self.seen if seen.path.endswith(endpoint)]

    def send(self, body: dict[str, Any]) -> str:
        if self.send_answer is not None:
            return self.send_answer
        if body.get("api") != API_KEY:
            return "-1"
        id_get = str(self.next_id)
        self.next_id += 1
        self.sessions[id_get] = {"amount": body["amount"], "factorId": body["factorId"], "verified": 0}
        return id_get

    def result(self, body: dict[str, Any]) -> str:
        session = self.sessions.get(str(body.get("id_get")))
        if body.get("api") != API_KEY or session is None:
            return json.dumps({"status": -1 if body.get("api") != API_KEY else -3})
        verdict = self.by_trans_id.get(str(body.get("trans_id")),
                                       self.verdicts.get(str(body["id_get"]), self.default_verdict))
        if verdict == "bare":
            return str(self.bare_status)
        if verdict in ("refused", "bad_trans_id"):
            return json.dumps({"status": -4 if verdict == "refused" else -2})
        session["verified"] += 1
        status = 11 if verdict == "paid_before" or session["verified"] > 1 else 1
        amount = session["amount"] + (1000 if verdict == "wrong_amount" else 0)
        factor = "someone-else" if verdict == "wrong_factor" else session["factorId"]
        return json.dumps({"status": status, "amount": amount, "factorId": factor,
                           "cardNum": "603799******1234"})


class _Endpoint(tornado.web.RequestHandler):
    def initialize(self, fake: FakeBitPay) -> None:
        self.fake = fake

    async def _answer(self, reply: Any) -> None:
        body = json.loads(self.request.body or b"{}") if self.request.method == "POST" else {}
        self.fake.seen.append(Seen(self.request.method or "", self.request.path, body))
        if self.fake.hang:
            await self.fake.released.wait()
        if self.fake.failing is not None:
            self.set_status(self.fake.failing)
            self.finish("gateway trouble")
            return
        self.finish(reply(body))

    async def post(self, endpoint: str) -> None:
        await self._answer(self.fake.send if endpoint == "gateway-send" else self.fake.result)

    async def get(self, endpoint: str = "") -> None:
        await self._answer(lambda body: "BitPay")


def start_fake_bitpay() -> tuple[FakeBitPay, tornado.httpserver.HTTPServer]:
    """Start the fake on a free loopback port of the running loop; stop the server when done."""
    fake = FakeBitPay()
    app = tornado.web.Application([
        (r"/payment/(gateway-send|gateway-result-second)", _Endpoint, {"fake": fake}),
        (r"/()", _Endpoint, {"fake": fake}),
    ])
    server, fake.url = listen(app)
    return fake, server
