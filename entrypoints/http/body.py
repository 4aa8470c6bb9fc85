"""Reading a request body of any size: kept up to the limit, the rest read and dropped.

Tornado would reset the connection on a body past its own limit, and answering before the body
is read closes the connection on a client still sending, which it sees as a reset too. So every
handler streams its body through a ``BodyReader`` and answers once the body is in: a JSON 413,
or the gateway's own answer at HTTP 200 for a webhook.
"""

from __future__ import annotations

from typing import Any

import tornado.httputil

DRAIN_LIMIT = 1 << 62  # what Tornado may read; past ``limit`` the bytes are dropped, not kept


class BodyReader:
    def __init__(self, limit: int, connection: Any = None) -> None:
        self.limit = limit
        self._chunks: list[bytes] | None = []
        self._received = 0
        self._body: bytes | None = None
        if connection is not None and hasattr(connection, "set_max_body_size"):
            connection.set_max_body_size(DRAIN_LIMIT)

    def take(self, chunk: bytes) -> bool:
        """Keep ``chunk`` while within the limit; True the moment the body passes it."""
        self._received += len(chunk)
        if self._chunks is None:
            return False
        if self._received > self.limit:
            self._chunks = None
            return True
        self._chunks.append(chunk)
        return False

    @property
    def oversized(self) -> bool:
        return self._chunks is None

    @property
    def body(self) -> bytes:
        """The body as received (empty when it was too large)."""
        if self._body is None:
            self._body = b"".join(self._chunks or ())
        return self._body

    def form(self, headers: tornado.httputil.HTTPHeaders) -> dict[str, list[bytes]]:
        """A form-urlencoded body's fields (each with every value sent)."""
        arguments: dict[str, list[bytes]] = {}
        tornado.httputil.parse_body_arguments(headers.get("Content-Type", ""), self.body,
                                              arguments, {}, headers)
        return arguments
