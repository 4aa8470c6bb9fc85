"""A real HTTP server on loopback that receives webhooks the way a platform would, and the
documented recipe for checking their signature (the README's receiver does the same)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import tornado.httpserver
import tornado.netutil
import tornado.web
from attrs import define, field

TOLERANCE_SECONDS = 300


def verify(secret: str, header: str, body: bytes, now: float | None = None) -> bool:
    """The receiver's check: some ``v1`` is HMAC-SHA256(secret, "<t>.<body>"), and ``t`` is
    within five minutes."""
    parts = [part.split("=", 1) for part in header.split(",")]
    stamps = [value for key, value in parts if key == "t"]
    signatures = [value for key, value in parts if key == "v1"]
    if len(stamps) != 1 or not stamps[0].isdigit():
        return False
    if abs((time.time() if now is None else now) - int(stamps[0])) > TOLERANCE_SECONDS:
        return False
    expected = hmac.new(secret.encode(), f"{stamps[0]}.".encode() + body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, given) for given in signatures)


@define
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@define
class Receiver:
    """What each path answers (status, seconds to wait first) and what it received."""

    port: int = 0
    received: list[Received] = field(factory=list)
    answers: dict[str, tuple[int, float]] = field(factory=dict)
    in_flight: Counter[tuple[str, str]] = field(factory=Counter)
    most_at_once: int = 0  # the most requests for one event at one path being answered together

    def url(self, path: str = "/hooks") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def at(self, path: str) -> list[Received]:
        return [each for each in self.received if each.path == path]


class _Hook(tornado.web.RequestHandler):
    def initialize(self, receiver: Receiver) -> None:
        self.receiver = receiver

    async def post(self) -> None:
        status, delay = self.receiver.answers.get(self.request.path, (200, 0.0))
        key = (self.request.path, self.request.headers.get("Hamyon-Event-Id", ""))
        self.receiver.in_flight[key] += 1
        self.receiver.most_at_once = max(self.receiver.most_at_once, self.receiver.in_flight[key])
        try:
            if delay:
                await asyncio.sleep(delay)
        finally:
            self.receiver.in_flight[key] -= 1
        self.receiver.received.append(Received(self.request.path, dict(self.request.headers),
                                               self.request.body))
        self.set_status(status)
        if status == 204:
            self.finish()
        else:
            self.finish("ok")


@asynccontextmanager
async def receiving() -> AsyncIterator[Receiver]:
    receiver = Receiver()
    [sock] = tornado.netutil.bind_sockets(0, "127.0.0.1")
    receiver.port = sock.getsockname()[1]
    server = tornado.httpserver.HTTPServer(tornado.web.Application([(r"/.*", _Hook, {"receiver": receiver})]))
    server.add_sockets([sock])
    try:
        yield receiver
    finally:
        server.stop()
        await server.close_all_connections()
