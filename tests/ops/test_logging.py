"""Structured logs: JSON lines with the request's id, business events, pretty on a terminal, and
never a token, a secret, a card number or a decrypted payload — asserted on real output."""

from __future__ import annotations

import asyncio
import contextvars
import io
import json
import logging
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import pytest
import structlog

from adapters.events import GatheredEvents, StructlogEvents, gather_events
from application.hamyon import Hamyon
from application.payments import CreatePayment
from entrypoints.logging import configure_logging, redact
from tests.cli.seeding import seed
from tests.ops.harness import ServerProcess, call, clean_env, free_port, json_lines

JWT_SECRET = "jwt-secret-for-the-logging-test-0123456789"
SECRET_KEY = "secret-key-for-the-logging-test-0123456789"
CARD = "8600123456789012"
PAYLOAD_MARK = "decrypted-payload-marker-7f3a"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def captured() -> Iterator[None]:
    """Restore the process's logging setup after a test reconfigures it."""
    root = logging.getLogger()
    handlers, level, config = list(root.handlers), root.level, structlog.get_config()
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    structlog.configure(**config)


def test_sensitive_keys_are_dropped_and_secrets_in_values_masked(captured: None) -> None:
    out = io.StringIO()
    configure_logging(stream=out)
    token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJlLWJ5dGVz"
    structlog.get_logger("t").info(
        "gateway_answer", token=token, client_secret="s3cr3t-value", password="hunter2",
        Authorization="Bearer abc.def.ghi", sign_string="md5-of-things", card_number=CARD,
        pan="8600 1234 5678 9012", merchant_key="k-123-456", payload='{"phone": "+998901234567"}',
        note=f"paid with {CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]} by {token}",
        header="Bearer opaque-credential-123", dsn="postgresql://hamyon:pg-password@db:5432/hamyon",
        nested={"api_key": "k-789", "ok": "visible"}, amount=50000, user_id="42", gateway="click")
    [line] = json_lines(out.getvalue())
    for hidden in ("token", "client_secret", "password", "Authorization", "sign_string", "card_number",
                   "pan", "merchant_key", "payload"):
        assert line[hidden] == "[redacted]", hidden
    assert line["note"] == "paid with ****9012 by [jwt]"
    assert line["header"] == "Bearer [redacted]"
    assert line["dsn"] == "postgresql://hamyon:[redacted]@db:5432/hamyon"
    assert line["nested"] == {"api_key": "[redacted]", "ok": "visible"}
    assert (line["amount"], line["user_id"], line["gateway"]) == (50000, "42", "click")
    for leaked in (token, "s3cr3t", "hunter2", "abc.def", CARD, "1234 5678", "k-123", "+998", "pg-password"):
        assert leaked not in out.getvalue()


def test_standard_library_records_and_exceptions_go_through_the_same_redaction(captured: None) -> None:
    out = io.StringIO()
    configure_logging(stream=out)
    try:
        raise ValueError(f"card {CARD} refused")
    except ValueError:
        logging.getLogger("tornado.application").exception("Uncaught exception for %s", "Bearer xyz123456")
    [line] = json_lines(out.getvalue())
    assert line["logger"] == "tornado.application" and line["level"] == "error"
    assert "****9012" in line["exception"] and CARD not in out.getvalue()
    assert "xyz123456" not in out.getvalue()


def test_a_terminal_gets_pretty_lines_and_production_json(captured: None) -> None:
    terminal = Terminal()
    configure_logging(stream=terminal)
    structlog.get_logger("t").info("payment_completed", gateway="click")
    assert "payment_completed" in terminal.getvalue() and not terminal.getvalue().startswith("{")
    production = Terminal()
    configure_logging(stream=production, production=True)
    structlog.get_logger("t").info("payment_completed", gateway="click")
    assert json.loads(production.getvalue())["event"] == "payment_completed"


class CountedWrites(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return super().write(text)


def test_lines_of_one_loop_turn_reach_the_stream_in_one_write_at_its_end(captured: None) -> None:
    out = CountedWrites()
    configure_logging(stream=out, json=True)
    log = structlog.get_logger("t")

    async def one_turn() -> list[str]:
        for n in range(3):
            log.info("step", n=n)
        written_meanwhile = list(out.writes)
        await asyncio.sleep(0)  # the turn ends; the next begins after its callbacks ran
        return written_meanwhile

    assert asyncio.run(one_turn()) == []
    assert len(out.writes) == 1
    assert [json.loads(line)["n"] for line in out.writes[0].splitlines()] == [0, 1, 2]
    log.info("outside_a_loop")
    assert json.loads(out.writes[-1])["event"] == "outside_a_loop"  # written at once


def test_events_are_gathered_for_the_request_line_only_while_it_is_open(captured: None) -> None:
    out = io.StringIO()
    configure_logging(stream=out, json=True)
    counted: list[str] = []
    events = StructlogEvents(subscribers=(lambda event, fields: counted.append(event),))

    def request() -> GatheredEvents:
        gathered = gather_events()
        events.emit("service_charged", service_type="consultation", amount="50000.00")
        assert out.getvalue() == ""  # not a line of its own...
        gathered.closed = True  # ...once the request's line is written, later events are
        events.emit("payment_completed", payment_id="p-1")
        return gathered

    gathered = contextvars.copy_context().run(request)  # a request's task: a context of its own
    events.emit("job_done", name="expire_payments")  # outside any request
    assert list(gathered) == [{"event": "service_charged", "service_type": "consultation",
                               "amount": "50000.00"}]
    assert [line["event"] for line in json_lines(out.getvalue())] == ["payment_completed", "job_done"]
    assert counted == ["service_charged", "payment_completed", "job_done"]  # metrics see them all


def test_redact_leaves_ordinary_fields_alone() -> None:
    event = {"event": "request", "method": "POST", "route": "/api/payments/billing/charge/",
             "status": 200, "duration_ms": 3.2, "request_id": "r-1", "user_id": "42"}
    assert redact(None, "info", dict(event)) == event


async def _with_log(hamyon: Hamyon) -> UUID:
    created = await hamyon.payments.create(CreatePayment("erin", "sandbox", Decimal(20_000)))
    await hamyon.settlement.log_step(created.payment.id, "callback", "sandbox page posted",
                                  payload=f'{{"note": "{PAYLOAD_MARK}", "card": "{CARD}"}}')
    await hamyon.wallets.adjust("erin", Decimal(90_000), "UZS", "funding", actor="root")
    return created.payment.id


def test_a_running_server_logs_one_canonical_line_per_request_and_no_secret(tmp_path: Path) -> None:
    # One line per request, the business events it caused in it (Stripe's "canonical log lines").
    port = free_port()
    env = clean_env(tmp_path, HAMYON_PORT=str(port), HAMYON_JWT_SECRET=JWT_SECRET,
                    HAMYON_SECRET_KEY=SECRET_KEY)
    payment_id = seed(env, _with_log)
    from entrypoints.http.auth import TokenIssuer

    issuer, url = TokenIssuer(JWT_SECRET), f"http://127.0.0.1:{port}"
    user, admin = issuer.issue("erin"), issuer.issue("root", admin=True)
    with ServerProcess("serve", "--no-jobs", env=env, cwd=tmp_path) as server:
        server.wait_ready(url)
        charged = call(f"{url}/api/payments/billing/charge/", method="POST", token=user,
                       body={"service_type": "doctor_view", "related_object_id": "7"},
                       headers={"X-Request-ID": "req-charge-1"})
        logs = call(f"{url}/api/admin/payments/{payment_id}/logs/", token=admin)
        topup = call(f"{url}/api/payments/wallet/topup/", method="POST", token=user,
                     body={"gateway": "sandbox", "amount": "20000", "description": f"card {CARD}"})
        forged = call(f"{url}/api/payments/wallet/", token=user[:-4] + "AAAA")
    output = server.output()
    assert (charged[0], logs[0], topup[0], forged[0]) == (200, 200, 201, 401)
    assert PAYLOAD_MARK in logs[1]  # the admin API answers the decrypted payload...
    lines = json_lines(output)
    assert len(lines) == len(output.strip().splitlines())  # ...stdout is JSON lines only...
    for leaked in (user, admin, user[:-4], JWT_SECRET, SECRET_KEY, CARD, PAYLOAD_MARK):
        assert leaked not in output + server.errors()  # ...and none of it reaches a log line
    requests = [line for line in lines if line["event"] == "request"]
    assert [(r["method"], r["route"], r["status"]) for r in requests][-4:] == [
        ("POST", "/api/payments/billing/charge/", 200),
        ("GET", "/api/admin/payments/{payment_id}/logs/", 200),
        ("POST", "/api/payments/wallet/topup/", 201), ("GET", "/api/payments/wallet/", 401)]
    charge_line = requests[-4]
    assert (charge_line["request_id"], charge_line["user_id"]) == ("req-charge-1", "erin")
    assert isinstance(charge_line["duration_ms"], float)
    # The business event the charge caused is part of its request's line, not a line of its own.
    [event] = charge_line["events"]
    assert event["event"] in ("service_charged", "service_free")
    assert (event["service_type"], event["user_id"]) == ("doctor_view", "erin")
    assert not [line for line in lines if line["event"] in ("service_charged", "service_free")]


def test_ids_holding_many_digits_stay_readable(captured: None) -> None:
    out = io.StringIO()
    configure_logging(stream=out)
    request_id, payment_id = "1234567890123456abcdef0123456789", "12345678-1234-1234-1234-123456789012"
    structlog.get_logger("t").info("request", request_id=request_id, payment_id=payment_id,
                                   note=f"card {CARD}, order {payment_id}")
    [line] = json_lines(out.getvalue())
    assert (line["request_id"], line["payment_id"]) == (request_id, payment_id)
    assert line["note"] == f"card ****9012, order {payment_id}"
