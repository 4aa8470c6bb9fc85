"""One error hierarchy for the whole core.

Every error carries a stable snake_case ``code`` and a human ``message``; the HTTP edge maps the
class to a status code, so nothing below it knows about HTTP.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every business refusal. ``details`` are extra JSON-safe fields for the client."""

    code = "domain_error"
    default_message = "The request cannot be carried out"

    def __init__(self, message: str | None = None, **details: Any) -> None:
        self.message = message or self.default_message
        self.details = details
        super().__init__(self.message)


class ValidationError(DomainError):
    """Bad input; ``field`` names what was wrong."""

    code = "invalid_input"
    default_message = "Invalid input"

    def __init__(self, message: str | None = None, *, field: str | None = None, **details: Any) -> None:
        self.field = field
        if field is not None:
            details["field"] = field
        super().__init__(message, **details)


class InvalidAmount(ValidationError):
    code = "invalid_amount"
    default_message = "Invalid amount"


class UnsupportedCurrency(ValidationError):
    code = "unsupported_currency"
    default_message = "Unsupported currency"


class CurrencyMismatch(ValidationError):
    code = "currency_mismatch"
    default_message = "Amounts in different currencies cannot be combined"


class AmountOutOfRange(ValidationError):
    code = "amount_out_of_range"
    default_message = "Amount is outside the allowed range"


class BalanceLimitExceeded(ValidationError):
    code = "max_balance_exceeded"
    default_message = "Top-up would exceed the maximum wallet balance"


class InsufficientFunds(DomainError):
    code = "insufficient_balance"
    default_message = "Insufficient balance"


class WalletBlocked(DomainError):
    code = "wallet_blocked"
    default_message = "Wallet is blocked"


class NotFound(DomainError):
    code = "not_found"
    default_message = "Not found"


class PaymentNotFound(NotFound):
    code = "payment_not_found"
    default_message = "Payment not found"


class GatewayNotFound(NotFound):
    code = "gateway_not_found"
    default_message = "Payment gateway not found"


class GatewayInactive(GatewayNotFound):
    """A known gateway that is not active answers as an unknown one does (SPEC §4), by its own
    code; in development the answer names the settings that activate it."""

    code = "gateway_inactive"


class RuleNotFound(NotFound):
    code = "billing_rule_not_found"
    default_message = "Billing rule not found"


class InvalidTransition(DomainError):
    """A state change the payment (or attempt) state machine does not allow."""

    code = "invalid_state_transition"
    default_message = "This change is not allowed in the payment's current state"


class HoldNotActive(InvalidTransition):
    code = "hold_not_active"
    default_message = "The hold is no longer active"


class HoldExpired(InvalidTransition):
    code = "hold_expired"
    default_message = "The hold has expired"


class RefundExceedsCharge(InvalidTransition):
    code = "refund_exceeds_charge"
    default_message = "The refunds of a charge cannot add up to more than the charge"


class ChargeNotFound(NotFound):
    code = "charge_not_found"
    default_message = "Charge not found"


class HoldNotFound(NotFound):
    code = "hold_not_found"
    default_message = "Hold not found"


class ApiKeyNotFound(NotFound):
    code = "api_key_not_found"
    default_message = "API key not found"


class PaymentExpired(InvalidTransition):
    code = "payment_expired"
    default_message = "Payment has expired"


class BillingMaintenance(DomainError):
    code = "billing_maintenance"
    default_message = "Billing is under maintenance"


class BillingLimitExceeded(DomainError):
    code = "billing_limit_exceeded"
    default_message = "Billing limit reached"


class GatewayNotImplemented(DomainError):
    code = "gateway_not_implemented"
    default_message = "Payment gateway is not supported yet"


class GatewayError(DomainError):
    """A gateway refused a request or did not answer."""

    code = "gateway_error"
    default_message = "Payment gateway error"


class IdempotencyConflict(DomainError):
    code = "idempotency_conflict"
    default_message = "Idempotency-Key was already used with another request"


class Forbidden(DomainError):
    code = "forbidden"
    default_message = "Forbidden"


class GatewayNotConfigured(InvalidTransition):
    """An admin cannot switch on a gateway whose credentials are missing (users would see it and
    be refused, SPEC §17)."""

    code = "gateway_not_configured"
    default_message = "This gateway has no credentials here: set them, then restart"
