"""A platform's webhook receiver for the benchmarks: a threaded HTTP server on loopback that
answers 200 and notes when each event arrived, and the lag from each event's recording (its
``created_at`` in the database, to the microsecond) to its arrival."""

import asyncio
import sqlite3
import statistics
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Receiver:
    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}  # event id → wall-clock time of arrival
        receiver = self

        class Hook(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                receiver.arrived.setdefault(self.headers["Hamyon-Event-Id"], time.time())
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hooks"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def wait_for(self, count: int, seconds: float) -> int:
        deadline = time.monotonic() + seconds
        while len(self.arrived) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return len(self.arrived)

    def close(self) -> None:
        self._server.shutdown()


def recorded_at(database_url: str, ids: list[str]) -> dict[str, float]:
    """When each event was recorded (Unix time), read from the database."""
    if database_url.startswith("sqlite:"):
        from datetime import datetime

        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
            rows = db.execute("SELECT id, created_at FROM events").fetchall()
        return {row[0]: datetime.fromisoformat(row[1]).timestamp() for row in rows if row[0] in set(ids)}

    import asyncpg

    async def read() -> dict[str, float]:
        connection = await asyncpg.connect(database_url)
        try:
            rows = await connection.fetch("SELECT id, created_at FROM events WHERE id = ANY($1::text[])", ids)
        finally:
            await connection.close()
        return {row["id"]: row["created_at"].timestamp() for row in rows}

    return asyncio.run(read())


def lag_ms(receiver: Receiver, database_url: str) -> dict[str, Any]:
    """p50 and p99 of arrival minus recording, in ms, over every event that arrived."""
    recorded = recorded_at(database_url, list(receiver.arrived))
    lags = sorted((receiver.arrived[key] - at) * 1000 for key, at in recorded.items())
    if not lags:
        return {"events": 0}
    return {"events": len(lags), "p50": statistics.median(lags),
            "p99": lags[min(len(lags) - 1, round(0.99 * (len(lags) - 1)))]}
