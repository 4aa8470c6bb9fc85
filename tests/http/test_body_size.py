"""Bodies past the 64 KiB limit, whatever their size, get a proper answer on a connection that
stays usable: a JSON 413 from the API, HTTP 200 in the gateway's own shape from a webhook. The
server runs with the options ``hamyon serve`` uses (Tornado's own limit would reset the
connection past 1 MiB); the body is read and dropped, never buffered whole."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.backends import memory
from tests.http.hostile import PAYME_KEY, LiveServer

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(memory.storage_factory(Path(tmp_path_factory.mktemp("bodies"))))
    live.start()
    try:
        yield live
    finally:
        live.stop()


def send(connection: http.client.HTTPConnection, path: str, size: int, headers: dict[str, str],
         *, chunked: bool = False) -> tuple[int, bytes]:
    """POST ``size`` bytes (in 64 KiB pieces, chunked or with a Content-Length) and read the
    answer; a reset would raise here."""
    connection.putrequest("POST", path, skip_accept_encoding=True)
    for name, value in headers.items():
        connection.putheader(name, value)
    connection.putheader("Transfer-Encoding" if chunked else "Content-Length",
                         "chunked" if chunked else str(size))
    connection.endheaders()
    piece, sent = b"{" + b" " * (64 * 1024 - 1), 0
    while sent < size:
        part = piece[: size - sent]
        connection.send(b"%x\r\n%s\r\n" % (len(part), part) if chunked else part)
        sent += len(part)
    if chunked:
        connection.send(b"0\r\n\r\n")
    response = connection.getresponse()
    return response.status, response.read()


def user(server: LiveServer) -> dict[str, str]:
    return {"Content-Type": "application/json", "Authorization": f"Bearer {server.token('user')}"}


@pytest.mark.parametrize("size", [64 * 1024 + 1, int(1.5 * MiB), 20 * MiB])
def test_an_oversized_body_is_a_json_413_and_the_connection_stays_usable(server, size):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        status, body = send(connection, "/api/payments/billing/charge/", size, user(server))
        assert status == 413
        assert json.loads(body)["code"] == "body_too_large"
        # Same connection: the body was read to its end, so the next request is answered.
        connection.request("GET", "/healthz")
        assert connection.getresponse().status == 200
    finally:
        connection.close()


def test_an_oversized_chunked_body_is_a_json_413(server):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        status, body = send(connection, "/api/payments/billing/charge/", 3 * MiB, user(server),
                            chunked=True)
        assert (status, json.loads(body)["code"]) == (413, "body_too_large")
    finally:
        connection.close()


@pytest.mark.parametrize(("path", "size", "status", "code"), [
    ("/api/payments/billing/charge/", 2 * MiB, 413, "body_too_large"),  # size before the token
    ("/api/payments/billing/charge/", 60 * 1024, 401, "unauthorized"),
    ("/no/such/path/", 2 * MiB, 404, "not_found"),
    ("/api/payments/gateways/", 2 * MiB, 405, "method_not_allowed"),
])
def test_a_refusal_made_before_the_body_waits_for_it(server, path, size, status, code):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        answer = send(connection, path, size, {"Content-Type": "application/json"})
        assert (answer[0], json.loads(answer[1])["code"]) == (status, code)
    finally:
        connection.close()


def test_an_oversized_payme_call_is_answered_at_200_in_json_rpc(server):
    import base64

    auth = base64.b64encode(f"Paycom:{PAYME_KEY}".encode()).decode()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        status, body = send(connection, "/api/payments/payme/webhook/", int(1.5 * MiB),
                            {"Content-Type": "application/json", "Authorization": f"Basic {auth}"})
        assert status == 200
        assert json.loads(body)["error"]["code"] == -32600
    finally:
        connection.close()


def test_an_oversized_click_call_is_answered_at_200_with_error_minus_8(server):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        status, body = send(connection, "/api/payments/click/prepare/", int(1.5 * MiB),
                            {"Content-Type": "application/x-www-form-urlencoded"})
        assert (status, json.loads(body)["error"]) == (200, -8)
    finally:
        connection.close()


def test_a_body_within_the_limit_is_read_whole(server):
    """The streaming read keeps every byte up to the limit: a charge padded with spaces to just
    under 64 KiB is parsed and answered like any other."""
    body = json.dumps({"service_type": "consultation"}).encode()
    padded = body[:-1] + b" " * (64 * 1024 - len(body)) + b"}"
    answer = server.call("POST", "/api/payments/billing/check-access/", padded,
                         {"Content-Type": "application/json"}, auth="user")
    assert answer.status == 200, answer.body
    assert answer.json["service_type"] == "consultation"
