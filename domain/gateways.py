"""What gateways tell us: checkout sessions, verifications and availability probes."""

from __future__ import annotations

from attrs import frozen

from domain.money import Money


@frozen
class CheckoutSession:
    """Where to send the payer, and the gateway's id for the session when it gives one."""

    payment_url: str
    external_id: str = ""
    opens_attempt: bool = False  # True when the gateway already holds the payment (redirect gateways)
    raw: str = ""  # the gateway's answer, for the payment log


@frozen
class Verification:
    """A gateway's own account of a payment: whether it took the money, and how much.
    ``cancelled`` is set by an adapter only when the gateway's authenticated answer says the payer
    cancelled (the sandbox's signed cancel); an unpaid answer without it changes nothing."""

    paid: bool
    amount: Money | None = None
    order_id: str = ""
    message: str = ""
    raw: str = ""
    card_mask: str = ""
    cancelled: bool = False


@frozen
class Probe:
    available: bool
    message: str
    response_time: float  # seconds; a measurement for display, never money
