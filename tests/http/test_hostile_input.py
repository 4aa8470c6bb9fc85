"""Hostile strings and numbers sent to every string and number field of every endpoint, on every
storage adapter: each is a 400 naming the field (never a 5xx), and nothing changed afterwards
(the ledger verifies, balances, payments, rules, settings and gateways are as they were).

The cases come from the route table and its schemas (``tests/http/hostile.py``), so a field added
tomorrow is attacked tomorrow without anyone listing it here.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from application.holds import HoldRequest
from application.payments import CreatePayment
from domain.paging import PageRequest
from entrypoints.http.openapi import COMPONENTS
from entrypoints.http.routes import USER
from entrypoints.http.table import ROUTES
from tests.http.hostile import Case, LiveServer, body_with, cases, fields_of, types_of

BACKENDS = ["memory", "sqlite", "postgres"]


def start(backend: str, folder: Path) -> LiveServer:
    module = importlib.import_module(f"tests.backends.{backend}")
    server = LiveServer(module.storage_factory(folder))
    server.start()
    return server


def seed(server: LiveServer) -> dict[str, str]:
    """A funded user with a payment, a doctor: the path parameters every route can name."""
    hamyon = server.hamyon
    server.run(hamyon.wallets.adjust("alice", Decimal("200000"), "UZS", "funding", actor="root"))
    created = server.run(hamyon.payments.create(CreatePayment("alice", "sandbox", Decimal("20000"))))
    doctor = server.call("POST", "/api/admin/doctors/", json.dumps(
        {"id": 7, "first_name": "Aziz", "last_name": "Karimov"}).encode(),
        {"Content-Type": "application/json"}, auth="admin")
    assert doctor.status == 201, doctor.body
    payment_id = str(created.payment.id)
    hold = server.run(hamyon.holds.create(HoldRequest("alice", "consultation"))).hold
    hook = server.run(hamyon.webhooks.create("https://platform.example/hooks", ["*"], actor="root"))
    pinged = server.run(hamyon.webhooks.ping(hook.id, actor="root"))
    return {"payment_id": payment_id, "transaction_id": payment_id, "service_type": "consultation",
            "user_id": "alice", "name": "click", "doctor_id": "7", "asset": "swagger-ui.css",
            "hold_id": str(hold.id), "webhook_id": str(hook.id), "event_id": pinged.id}


def state(server: LiveServer) -> tuple[Any, ...]:
    """What a refused request must leave exactly as it was."""
    hamyon = server.hamyon

    async def read() -> tuple[Any, ...]:
        report = await hamyon.admin.verify_ledger()
        payments = await hamyon.admin.search_payments(PageRequest(1, 100))
        return (report.ok, report.transfers, (await hamyon.wallets.get("alice", "UZS")).balance,
                [(p.id, p.status, p.return_url) for p in payments.items],
                await hamyon.admin.rules(), await hamyon.admin.settings(), await hamyon.admin.gateways(),
                await hamyon.doctors.list(PageRequest(1, 100)),
                await hamyon.holds.list("alice", PageRequest(1, 100)), await hamyon.webhooks.all())

    return server.run(read())


@pytest.fixture(scope="module", params=BACKENDS)
def live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[
        tuple[LiveServer, dict[str, str]]]:
    server = start(request.param, tmp_path_factory.mktemp(f"hostile-{request.param}"))
    try:
        yield server, seed(server)
    finally:
        server.stop()


def refused_by_name(server: LiveServer, case: Case) -> str | None:
    """None when the case was refused as it must be, else what went wrong."""
    answer = server.call(case.method, case.path, case.body, case.headers, case.auth)
    if answer.status >= 500 or answer.status < 400:
        return f"{case.name}: {answer.status} {answer.body[:200]!r}"
    try:
        body = answer.json
    except ValueError:
        return f"{case.name}: {answer.status} answer is not JSON: {answer.body[:120]!r}"
    if answer.status != 400 or (case.field and body.get("field") != case.field):
        return f"{case.name}: {answer.status} field={body.get('field')!r} {body.get('error')!r}"
    return None


def test_every_hostile_field_of_every_endpoint_is_a_400_naming_it_and_changes_nothing(live):
    server, params = live
    before = state(server)
    every = list(cases(ROUTES, COMPONENTS, params))
    assert len(every) > 500  # the route table yields them; a broken generator would yield few
    failures = [failure for case in every if (failure := refused_by_name(server, case))]
    assert not failures, "\n".join(failures[:40])
    assert state(server) == before


def test_the_generator_reaches_every_request_field():
    """A route's every string and number body field, query and path parameter is attacked (the
    generator itself must not silently skip what it cannot read)."""
    every = list(cases(ROUTES, COMPONENTS, {}))
    named = {(case.method, case.path.split("?")[0].split("{")[0], case.field) for case in every}
    for route in ROUTES:
        if route.tag == "webhooks":
            continue
        prefix = route.path.split("{")[0]
        wanted = [dotted for dotted, schema in fields_of(COMPONENTS[route.request], COMPONENTS)
                  if {"string", "number", "integer"} & set(types_of(schema))] \
            if route.request else []
        wanted += [query.name for query in route.query] + route.path_params
        for name in wanted:
            assert any(m == route.method and p.startswith(prefix) and f == name
                       for m, p, f in named), f"{route.method} {route.path}: {name} not attacked"


TEXT_FIELDS = [(route, dotted) for route in ROUTES if route.request is not None
               for dotted, schema in fields_of(COMPONENTS[route.request], COMPONENTS)
               if "string" in types_of(schema)]
FORBIDDEN = st.sampled_from(["\x00", "\ud800", "\udbff", "\udc00", "\x01", "\x08", "\x0b", "\x1f",
                             "\x7f", "\x9f"])


@given(field=st.sampled_from(TEXT_FIELDS), before=st.text(max_size=20), bad=FORBIDDEN,
       after=st.text(max_size=20))
@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_any_text_holding_a_forbidden_character_is_refused_by_name(memory_server, field, before,
                                                                     bad, after):
    server, params = memory_server
    route, dotted = field
    body = body_with(COMPONENTS[route.request], COMPONENTS, dotted, json.dumps(before + bad + after))
    path = route.path
    for name, value in params.items():
        path = path.replace("{" + name + "}", value)
    case = Case("property", route.method, path, dotted, body, {"Content-Type": "application/json"},
                route.auth if route.auth else USER)
    assert refused_by_name(server, case) is None


@pytest.fixture(scope="module")
def memory_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    server = start("memory", tmp_path_factory.mktemp("hostile-property"))
    try:
        yield server, seed(server)
    finally:
        server.stop()


CLICK_FIELDS = ("click_trans_id", "service_id", "click_paydoc_id", "merchant_trans_id",
                "merchant_prepare_id", "amount", "action", "error", "sign_time", "sign_string")
CLICK_HOSTILE = ("a\x00b", "\x1b[2J", "1\r\n2", "x" * 129, "١٢٣", "²")


@pytest.mark.parametrize("step", ["prepare", "complete"])
def test_a_hostile_click_field_is_answered_minus_8_at_http_200(memory_server, step):
    from urllib.parse import urlencode

    server, params = memory_server
    valid = {"click_trans_id": "7001", "service_id": "30001", "click_paydoc_id": "8001",
             "merchant_trans_id": params["payment_id"], "merchant_prepare_id": "1",
             "amount": "20000", "action": "0" if step == "prepare" else "1", "error": "0",
             "sign_time": "2026-01-15 12:00:00", "sign_string": "0" * 32}
    for name in CLICK_FIELDS:
        if step == "prepare" and name == "merchant_prepare_id":
            continue  # not a Prepare field
        for value in CLICK_HOSTILE:
            answer = server.call("POST", f"/api/payments/click/{step}/",
                                 urlencode({**valid, name: value}).encode(),
                                 {"Content-Type": "application/x-www-form-urlencoded"})
            assert answer.status == 200, (name, value, answer.body)
            if value.isascii() or name in ("click_trans_id", "service_id", "amount", "error"):
                assert answer.json["error"] == -8, (name, value, answer.body)
            else:  # foreign digits in a text field: refused by its own rule (-1, -3, -5, ...)
                assert answer.json["error"] < 0, (name, value, answer.body)
    assert state(server)[0] is True


def test_a_hostile_payme_call_is_a_json_rpc_error_at_http_200(memory_server):
    import base64

    from tests.http.hostile import PAYME_KEY

    server, params = memory_server
    auth = {"Content-Type": "application/json",
            "Authorization": "Basic " + base64.b64encode(f"Paycom:{PAYME_KEY}".encode()).decode()}
    order = {"order_id": params["payment_id"]}
    calls = [
        b'{"jsonrpc":"2.0","id":"\\ud800","method":"CheckPerformTransaction","params":{}}',
        b'{"jsonrpc":"2.0","id":1,"method":"CheckPerformTransaction","params":{"amount":1'
        + b"0" * 4400 + b',"account":' + json.dumps(order).encode() + b"}}",
        *[json.dumps({"jsonrpc": "2.0", "id": 2, "method": "CreateTransaction", "params": {
            "id": bad, "time": 1767225600000, "amount": 2000000, "account": order}}).encode()
          for bad in ("\x00" * 24, "\ud800abc", "a\r\nb", "x" * 65)],
        *[json.dumps({"jsonrpc": "2.0", "id": 3, "method": "CheckPerformTransaction", "params": {
            "amount": 2000000, "account": {"order_id": bad}}}).encode()
          for bad in ("\x00", "\udfff", "x" * 1000)],
        json.dumps({"jsonrpc": "2.0", "id": 4, "method": "Check\x00Perform", "params": {}}).encode(),
    ]
    before = state(server)
    for body in calls:
        answer = server.call("POST", "/api/payments/payme/webhook/", body, auth)
        assert answer.status == 200, body[:80]
        assert answer.json["error"]["code"] < 0, (body[:80], answer.body)
    assert state(server) == before
