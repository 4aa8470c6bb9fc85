"""A real HTTP server on loopback that receives webhooks the way a platform would, and the
README's recipe for checking their signature (``verify``, run as printed)."""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import tornado.httpserver
import tornado.netutil
import tornado.web
from attrs import define, field


def documented_verify() -> Callable[..., bool]:
    """The receiver's signature check exactly as the README prints it."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- receiver:start -->\s*```python\n(.*?)```\s*<!-- receiver:end -->", readme, re.S)
    assert block, "the README lost its receiver block"
    names: dict[str, object] = {}
    exec(compile(block.group(1), "README.md", "exec"), names)
    return names["verify"]  # type: ignore[return-value]


verify = documented_verify()


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
