"""The CrazyMiner seed's endpoints, in its own shape, Persian by default."""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

CM = "/crazyminer/payment"


async def test_create_answers_201_processing_in_persian(api):
    async with api() as server:
        reply = await server.post(f"{CM}/create/", {"amount": 100000, "description": "شارژ کیف پول"})
    assert reply.status == 201
    assert set(reply.json) == {"transaction_id", "payment_url", "amount", "status", "status_display"}
    assert reply.json["payment_url"] == "https://api.medogram.ir/payment/gateway-123-get"
    assert reply.json["amount"] == 100000 and '"amount":100000,' in reply.text
    assert reply.json["status"] == "processing"
    assert reply.json["status_display"] == "در حال پردازش"


async def test_create_refuses_rials_below_the_minimum_and_fractions(api):
    async with api() as server:
        small = await server.post(f"{CM}/create/", {"amount": 5000})
        fraction = await server.post(f"{CM}/create/", {"amount": "10000.5"})
        missing = await server.post(f"{CM}/create/", {"description": "x"})
    assert (small.status, small.json["field"]) == (400, "amount")
    assert (fraction.status, fraction.json["field"]) == (400, "amount")
    assert (missing.status, missing.json["field"]) == (400, "amount")


async def test_status_is_open_to_the_transaction_id_holder(api):
    async with api() as server:
        created = (await server.post(f"{CM}/create/", {"amount": 100000})).json
        reply = await server.get(f"{CM}/status/{created['transaction_id']}/", user=None)
        english = await server.get(f"{CM}/status/{created['transaction_id']}/", user=None,
                                   headers={"Accept-Language": "en"})
        unknown = await server.get(f"{CM}/status/{uuid4()}/", user=None)
        nonsense = await server.get(f"{CM}/status/42/", user=None)
    assert reply.status == 200
    assert reply.json["transaction_id"] == created["transaction_id"]
    assert reply.json["status_display"] == "در حال پردازش"
    assert reply.json["payment_url"] == created["payment_url"]
    assert {"gateway_tracking_code", "created_at", "completed_at", "amount"} <= set(reply.json)
    assert english.json["status_display"] == "Processing"
    assert unknown.status == 404 and nonsense.status == 404


async def test_status_is_rate_limited(api):
    from entrypoints.http import HttpConfig
    from tests.http.conftest import SECRET

    async with api(HttpConfig(jwt_secret=SECRET, status_requests_per_minute=3)) as server:
        answers = [(await server.get(f"{CM}/status/{uuid4()}/", user=None)).status
                   for _ in range(4)]
    assert answers == [404, 404, 404, 429]


async def test_the_status_limit_counts_each_client_the_proxy_names(api):
    # Behind the README's nginx, every request comes from the proxy's address: the client is the
    # one X-Real-IP (or the last X-Forwarded-For hop) names; a header that names no address is not
    # a client of its own.
    from entrypoints.http import HttpConfig
    from tests.http.conftest import SECRET

    def status(headers: dict[str, str]):
        return server.get(f"{CM}/status/{uuid4()}/", user=None, headers=headers)

    async with api(HttpConfig(jwt_secret=SECRET, status_requests_per_minute=2)) as server:
        first = [(await status({"X-Real-IP": "203.0.113.7"})).status for _ in range(3)]
        second = [(await status({"X-Forwarded-For": "10.0.0.1, 198.51.100.9"})).status for _ in range(3)]
        bogus = [(await status({"X-Real-IP": "not-an-address"})).status for _ in range(3)]
    assert first == [404, 404, 429]
    assert second == [404, 404, 429]
    assert bogus == [404, 404, 429]  # counted as the peer (the test client), once more a client


async def test_list_is_the_callers_count_and_results(api):
    async with api() as server:
        await server.post(f"{CM}/create/", {"amount": 100000})
        await server.post(f"{CM}/create/", {"amount": 200000})
        await server.post(f"{CM}/create/", {"amount": 300000}, user="bob")
        mine = await server.get(f"{CM}/list/")
        paged = await server.get(f"{CM}/list/?per_page=1")
        anonymous = await server.get(f"{CM}/list/", user=None)
    assert mine.json["count"] == 2
    assert {item["amount"] for item in mine.json["results"]} == {Decimal(100000), Decimal(200000)}
    assert len(paged.json["results"]) == 1 and paged.json["count"] == 2
    assert anonymous.status == 401


async def test_callback_is_not_implemented_until_the_gateway_exists(api):
    async with api() as server:
        reply = await server.post(f"{CM}/callback/", {"trans_id": "t-1", "id_get": "123"}, user=None)
        form = await server.call("POST", f"{CM}/callback/", user=None, body="trans_id=t&id_get=1",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
        missing = await server.post(f"{CM}/callback/", {"trans_id": "t-1"}, user=None)
    assert reply.status == 501 and form.status == 501
    assert (missing.status, missing.json["field"]) == (400, "id_get")


async def test_status_shows_expiry_once_the_payment_has_run_out_of_time(api):
    async with api() as server:
        created = (await server.post(f"{CM}/create/", {"amount": 100000})).json
        server.clock.advance(seconds=1801)
        reply = await server.get(f"{CM}/status/{created['transaction_id']}/", user=None,
                                 headers={"Accept-Language": "fa"})
    assert reply.json["status"] == "expired"
    assert reply.json["status_display"] == "منقضی شده"
    assert "payment_url" not in reply.json
