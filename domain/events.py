"""Events to the platform (SPEC §12): what changed, recorded with the change, and the rules of
delivering it to the platform's webhook endpoints (signature, retries, subscriptions).

An event is written in the same unit of work as the change it reports (a transactional outbox),
so there is no event for a change that rolled back and no change without its event. ``data`` is
the changed object as the API shows it, already JSON text: the event's body is the same bytes on
every delivery, which is what a signature is computed over.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from uuid import UUID

from attrs import evolve, frozen

from domain.errors import ValidationError

EVENT_TYPES = (
    "payment.created", "payment.completed", "payment.failed", "payment.cancelled",
    "payment.expired", "payment.refunded",
    "charge.succeeded", "charge.refunded",
    "hold.created", "hold.captured", "hold.released", "hold.expired",
    "wallet.blocked", "wallet.unblocked", "wallet.low_balance",
    "fiscal.receipt_ready", "ping",
)
ALL = "*"
MAX_EVENTS_PER_ENDPOINT = len(EVENT_TYPES)
SECRET_PREFIX = "whsec_"
ROTATION_OVERLAP = timedelta(hours=24)
DELIVERY_TIMEOUT_SECONDS = 10.0
RETRY_DELAYS = (30, 120, 600, 3600, 21600)  # seconds after each failed attempt
RETRY_EVERY_LATER = 43200  # then every 12 hours
GIVE_UP_AFTER = timedelta(days=3)


def event_id(uuid: UUID) -> str:
    return f"evt_{uuid}"


def iso(moment: datetime) -> str:
    """``2024-01-15T12:00:00Z``: the way the API writes a moment."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@frozen
class Event:
    id: str  # evt_<uuid>
    type: str
    created_at: datetime
    user_id: str
    data: str  # the object as the API shows it, JSON text

    def body(self) -> bytes:
        """The JSON document delivered: ``{"id", "type", "created_at", "user_id", "data"}``."""
        head = json.dumps({"id": self.id, "type": self.type, "created_at": iso(self.created_at),
                           "user_id": self.user_id}, ensure_ascii=False, separators=(",", ":"))
        return f'{head[:-1]},"data":{self.data}}}'.encode()


def parse_event_types(raw: object, field: str = "events") -> tuple[str, ...]:
    """A subscription: a non-empty list of known event types, or ``["*"]`` for every one."""
    if not isinstance(raw, list) or not raw or len(raw) > MAX_EVENTS_PER_ENDPOINT + 1 or \
            not all(isinstance(kind, str) for kind in raw):
        raise ValidationError(f'{field} must be a non-empty list of event types, or ["*"]', field=field)
    unknown = [kind for kind in raw if kind != ALL and kind not in EVENT_TYPES]
    if unknown:
        raise ValidationError(f"Unknown event type {unknown[0]!r}", field=field)
    return (ALL,) if ALL in raw else tuple(dict.fromkeys(raw))


def signature(keys: Iterable[str], timestamp: int, body: bytes) -> str:
    """``Hamyon-Signature``: ``t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>``,
    one ``v1=`` per secret."""
    signed = str(timestamp).encode() + b"." + body
    parts = [f"t={timestamp}"]
    parts += [f"v1={hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()}" for secret in keys]
    return ",".join(parts)


@frozen
class WebhookEndpoint:
    id: UUID
    url: str
    events: tuple[str, ...]
    secret: str
    created_at: datetime
    updated_at: datetime
    description: str = ""
    is_active: bool = True
    # Secrets replaced by a rotation, each still signing beside ``secret`` until its own time.
    previous: tuple[tuple[str, datetime], ...] = ()

    def subscribes(self, event_type: str) -> bool:
        """A ``ping`` goes only to the endpoint it was sent to, never by subscription."""
        return event_type != "ping" and (ALL in self.events or event_type in self.events)

    def signing_secrets(self, now: datetime) -> tuple[str, ...]:
        return (self.secret, *(old for old, until in self.previous if now < until))

    def rotated(self, secret: str, now: datetime) -> WebhookEndpoint:
        """A new secret; the one it replaces keeps signing beside it for 24 hours, and so do those
        an earlier rotation replaced for what is left of their own 24 hours (a second rotation
        within a day never cuts a receiver off the secret it was promised)."""
        kept = tuple((old, until) for old, until in self.previous if now < until)
        return evolve(self, secret=secret, previous=(*kept, (self.secret, now + ROTATION_OVERLAP)),
                      updated_at=now)


class DeliveryStatus(enum.Enum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


@frozen
class Delivery:
    """One event on its way to one endpoint, with the outcome of its last attempt."""

    id: UUID
    endpoint_id: UUID
    event_id: str
    event_type: str
    created_at: datetime
    next_attempt_at: datetime | None
    attempt: int = 0
    status: DeliveryStatus = DeliveryStatus.PENDING
    http_status: int | None = None
    duration_ms: int | None = None
    error: str = ""
    updated_at: datetime | None = None

    def outcome(self, now: datetime, *, http_status: int | None, duration_ms: int,
                error: str = "") -> Delivery:
        """This attempt's result: a 2xx is delivered; anything else is retried with backoff
        (about 30 s, 2 min, 10 min, 1 h, 6 h, then every 12 h) until three days after the event
        was first queued, then failed."""
        attempt = self.attempt + 1
        common = dict(attempt=attempt, http_status=http_status, duration_ms=duration_ms,
                      updated_at=now)
        if http_status is not None and 200 <= http_status < 300 and not error:
            return evolve(self, status=DeliveryStatus.DELIVERED, next_attempt_at=None, error="",
                          **common)  # type: ignore[arg-type]
        retry_at = now + timedelta(seconds=retry_delay(attempt))
        if retry_at - self.created_at > GIVE_UP_AFTER:
            return evolve(self, status=DeliveryStatus.FAILED, next_attempt_at=None,
                          error=error or f"HTTP {http_status}", **common)  # type: ignore[arg-type]
        return evolve(self, next_attempt_at=retry_at, error=error or f"HTTP {http_status}",
                      **common)  # type: ignore[arg-type]


def retry_delay(failed_attempts: int) -> int:
    """Seconds to wait after the ``failed_attempts``-th failure."""
    if failed_attempts <= len(RETRY_DELAYS):
        return RETRY_DELAYS[failed_attempts - 1]
    return RETRY_EVERY_LATER


def crossed_below(before: int, after: int, threshold: int | None) -> bool:
    """``wallet.low_balance``: the balance (minor units) fell below the threshold with this
    change, and was not below it before (once per crossing)."""
    return threshold is not None and after < threshold <= before


def subscribed(endpoints: Sequence[WebhookEndpoint], event_type: str) -> list[WebhookEndpoint]:
    return [endpoint for endpoint in endpoints if endpoint.is_active and endpoint.subscribes(event_type)]
