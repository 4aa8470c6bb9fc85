"""The rules of events to the platform (SPEC §12): the body signed, the signature, subscriptions,
the retry schedule and the three-day cut-off, the secret overlap, the low-balance crossing."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import ValidationError
from domain.events import (
    Delivery,
    DeliveryStatus,
    Event,
    WebhookEndpoint,
    crossed_below,
    parse_event_types,
    retry_delay,
    signature,
)
from tests.webhooks.receiver import verify

T0 = datetime(2026, 1, 15, 7, 0, tzinfo=UTC)


def endpoint(**changes) -> WebhookEndpoint:
    return attrs.evolve(WebhookEndpoint(uuid4(), "https://platform.example/hooks", ("*",), "whsec_a", T0, T0),
                        **changes)


def test_the_body_is_the_envelope_with_the_data_as_recorded():
    event = Event("evt_1", "payment.completed", T0, "42", '{"amount":20000.00,"note":"ü"}')
    assert event.body() == '{"id":"evt_1","type":"payment.completed","created_at":"2026-01-15T07:00:00Z",' \
        '"user_id":"42","data":{"amount":20000.00,"note":"ü"}}'.encode()
    assert json.loads(event.body())["data"]["note"] == "ü"


@given(st.binary(max_size=200), st.integers(0, 2**32))
def test_the_documented_recipe_verifies_each_secret_and_refuses_another(body, stamp):
    header = signature(["whsec_new", "whsec_old"], stamp, body)
    assert verify("whsec_new", header, body, now=stamp) and verify("whsec_old", header, body, now=stamp)
    assert not verify("whsec_x", header, body, now=stamp)
    assert not verify("whsec_new", header, body + b"!", now=stamp)
    assert not verify("whsec_new", header, body, now=stamp + 301)  # older than five minutes


def test_a_subscription_is_known_types_or_star():
    assert parse_event_types(["payment.completed", "payment.completed"]) == ("payment.completed",)
    assert parse_event_types(["charge.succeeded", "*"]) == ("*",)
    for bad in ([], ["payment.unknown"], "payment.completed", [1], None):
        with pytest.raises(ValidationError) as refused:
            parse_event_types(bad)
        assert refused.value.field == "events"


def test_ping_is_never_delivered_by_subscription():
    assert endpoint().subscribes("wallet.blocked") and not endpoint().subscribes("ping")
    assert not endpoint(events=("payment.created",)).subscribes("payment.completed")


def test_a_rotated_secret_signs_beside_the_new_one_for_24_hours():
    rotated = endpoint().rotated("whsec_b", T0)
    assert rotated.signing_secrets(T0 + timedelta(hours=23, minutes=59)) == ("whsec_b", "whsec_a")
    assert rotated.signing_secrets(T0 + timedelta(hours=24)) == ("whsec_b",)


def test_the_retry_schedule_is_30s_2m_10m_1h_6h_then_every_12h():
    assert [retry_delay(n) for n in range(1, 9)] == [30, 120, 600, 3600, 21600, 43200, 43200, 43200]


def test_a_2xx_is_delivered_anything_else_retried_until_three_days_then_failed():
    queued = Delivery(uuid4(), uuid4(), "evt_1", "ping", T0, T0)
    assert queued.outcome(T0, http_status=204, duration_ms=5).status is DeliveryStatus.DELIVERED
    retried = queued.outcome(T0, http_status=500, duration_ms=5)
    assert retried.status is DeliveryStatus.PENDING and retried.next_attempt_at == T0 + timedelta(seconds=30)
    assert retried.error == "HTTP 500"
    timeout = queued.outcome(T0, http_status=None, duration_ms=10_000, error="timeout")
    assert timeout.status is DeliveryStatus.PENDING and timeout.error == "timeout"
    late = Delivery(uuid4(), uuid4(), "evt_1", "ping", T0, T0, attempt=9)
    assert late.outcome(T0 + timedelta(days=2, hours=13), http_status=302, duration_ms=1).status \
        is DeliveryStatus.FAILED


@given(st.integers(-10**6, 10**6), st.integers(-10**6, 10**6), st.none() | st.integers(0, 10**6))
def test_low_balance_is_reported_once_per_crossing(before, after, threshold):
    crossed = crossed_below(before, after, threshold)
    assert crossed == (threshold is not None and before >= threshold > after)
