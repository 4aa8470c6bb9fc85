"""The HTTP benchmark's load generator, run as its own process so that the server measured never
shares an interpreter with its clients.

    python bench/loadgen.py < spec.json     # prints one JSON line: the run's figures

The spec names the loopback port, the path, the request body, one bearer token per connection,
how many requests each connection sends (a warm-up share first, then the measured share) and a
deadline. With ``then`` (a path template with ``{id}``), each request is a cycle of two: the
first answer's ``hold.id`` is put into the path, and that second request is sent with ``then_body``
(a hold created, then captured); the cycle's latency is that of both, and its status the second's.
Each connection is one keep-alive HTTP/1.1 socket (raw asyncio streams: the client must
cost less than the servers it drives) that sends its requests one after the other; latency is
``time.perf_counter`` from writing a request to reading the last byte of its answer. The measured
phase starts once every connection has finished its warm-up, together.
"""

from __future__ import annotations

import asyncio
import json
import math
import sys
import time
from collections import Counter
from typing import Any

CHARGED = b'"charged":true'
CAPTURED = b'"status":"captured"'


class Connection:
    """One keep-alive HTTP/1.1 connection sending the same request again and again."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 spec: dict[str, Any], token: str) -> None:
        self.reader, self.writer, self.spec, self.token = reader, writer, spec, token
        self.request = self.build(spec["path"], spec["body"])

    @classmethod
    async def open(cls, spec: dict[str, Any], token: str) -> Connection:
        reader, writer = await asyncio.open_connection("127.0.0.1", spec["port"])
        return cls(reader, writer, spec, token)

    def build(self, path: str, body_text: str) -> bytes:
        body = body_text.encode()
        head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.spec['port']}\r\n"
                f"Authorization: Bearer {self.token}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n")
        return head.encode() + body

    async def exchange(self) -> tuple[int, bytes]:
        """Send the request (or the cycle) once; the (last) answer's status and body."""
        status, body = await self.send(self.request)
        if "then" not in self.spec or status >= 300:
            return status, body
        path = self.spec["then"].format(id=json.loads(body)["hold"]["id"])
        return await self.send(self.build(path, self.spec.get("then_body", "{}")))

    async def send(self, request: bytes) -> tuple[int, bytes]:
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = dict(line.lower().split(":", 1) for line in lines[1:] if ":" in line)
        if "content-length" in headers:
            return status, await self.reader.readexactly(int(headers["content-length"]))
        if headers.get("transfer-encoding", "").strip() == "chunked":
            return status, await self._chunked()
        raise RuntimeError("an answer with neither Content-Length nor chunked encoding")

    async def _chunked(self) -> bytes:
        parts = []
        while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
            parts.append(await self.reader.readexactly(size + 2))
        await self.reader.readuntil(b"\r\n")
        return b"".join(part[:-2] for part in parts)

    def close(self) -> None:
        self.writer.close()


class Tally:
    """The measured requests: latencies (seconds), statuses, paid answers."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.statuses: Counter[int] = Counter()
        self.charged = 0
        self.first_failure = ""

    def record(self, seconds: float, status: int, body: bytes) -> None:
        self.latencies.append(seconds)
        self.statuses[status] += 1
        self.charged += status == 200 and (CHARGED in body or CAPTURED in body)
        if status != 200 and not self.first_failure:
            self.first_failure = f"{status} {body[:300].decode('utf-8', 'replace')}"


async def client(connection: Connection, warmup: int, quota: int, go: asyncio.Event,
                 warm: Tally, measured: Tally) -> None:
    for _ in range(warmup):
        started = time.perf_counter()
        status, body = await connection.exchange()
        warm.record(time.perf_counter() - started, status, body)
    await go.wait()
    for _ in range(quota):
        started = time.perf_counter()
        status, body = await connection.exchange()
        measured.record(time.perf_counter() - started, status, body)


def percentile(ordered: list[float], fraction: float) -> float:
    """Nearest-rank percentile of sorted values."""
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)] if ordered else math.nan


async def run(spec: dict[str, Any]) -> dict[str, Any]:
    connections = [await Connection.open(spec, token) for token in spec["tokens"]]
    warm, measured, go = Tally(), Tally(), asyncio.Event()
    tasks = [asyncio.ensure_future(client(c, spec["warmup"], quota, go, warm, measured))
             for c, quota in zip(connections, spec["quotas"], strict=True)]
    deadline, cpu = time.monotonic() + spec["deadline_seconds"], time.process_time()
    try:
        while len(warm.latencies) < spec["warmup"] * len(connections):
            if time.monotonic() > deadline or any(task.done() for task in tasks):
                break
            await asyncio.sleep(0.005)
        started = time.perf_counter()
        go.set()
        _, pending = await asyncio.wait(tasks, timeout=max(0.0, deadline - time.monotonic()))
        wall = time.perf_counter() - started
        cpu = time.process_time() - cpu
        errors = [repr(task.exception()) for task in tasks if task.done() and task.exception()]
        for task in pending:
            task.cancel()
    finally:
        for connection in connections:
            connection.close()
    ordered = sorted(measured.latencies)
    return {"requests": len(ordered), "wall": wall, "p50_ms": percentile(ordered, 0.50) * 1e3,
            "p99_ms": percentile(ordered, 0.99) * 1e3, "warmup_requests": len(warm.latencies),
            "statuses": {str(k): v for k, v in (warm.statuses + measured.statuses).items()},
            "charged": warm.charged + measured.charged, "timed_out": bool(pending),
            "client_cpu_us": cpu / max(1, len(ordered) + len(warm.latencies)) * 1e6,
            "errors": errors[:3], "first_failure": measured.first_failure or warm.first_failure}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(run(json.load(sys.stdin)))), flush=True)
