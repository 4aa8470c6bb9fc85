"""How a use case writes down an event for the platform (SPEC §12): the changed object as the API
shows it, as JSON text, in the same unit of work as the change.

The use cases do not know the HTTP shapes, so the composition root gives them ``EventViews``
(``entrypoints.http.event_views``: the API's own answers). Without one (a hand-built
``Dependencies``), an event carries only the object's id.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Protocol

from domain.errors import ValidationError
from domain.fiscal import FiscalReceipt
from domain.holds import Hold
from domain.ledger import Wallet
from domain.payments import Payment

if TYPE_CHECKING:
    from application.billing import ChargeResult
    from application.charge_refunds import ChargeRefund


class EventViews(Protocol):
    def payment(self, payment: Payment) -> str: ...

    def charge(self, charge: ChargeResult) -> str: ...

    def wallet(self, wallet: Wallet) -> str: ...

    def hold(self, hold: Hold) -> str: ...

    def charge_refund(self, refund: ChargeRefund, reason: str) -> str: ...

    def receipt(self, receipt: FiscalReceipt) -> str: ...


class IdViews:
    """The fallback: each object by its id alone."""

    def payment(self, payment: Payment) -> str:
        return json.dumps({"id": str(payment.id)})

    def charge(self, charge: ChargeResult) -> str:
        return json.dumps({"transaction_id": str(charge.transaction_id) if charge.transaction_id else None,
                           "service_type": charge.service_type})

    def wallet(self, wallet: Wallet) -> str:
        return json.dumps({"user_id": wallet.user_id, "currency": wallet.currency.value})

    def hold(self, hold: Hold) -> str:
        return json.dumps({"id": str(hold.id), "status": hold.status.value})

    def charge_refund(self, refund: ChargeRefund, reason: str) -> str:
        return json.dumps({"transaction_id": str(refund.charge.id),
                           "refund_transaction_id": str(refund.refund.id)})

    def receipt(self, receipt: FiscalReceipt) -> str:
        return json.dumps({"payment_id": str(receipt.payment_id), "type": receipt.type.value})


class UrlPolicy(Protocol):
    async def check(self, url: str, field: str = "url") -> None:
        """Refuse (``ValidationError`` naming ``field``) a URL Hamyon must not post to."""
        ...


class SchemeOnly:
    """The rule without a resolver: ``http`` or ``https`` with a host."""

    async def check(self, url: str, field: str = "url") -> None:
        if not url.startswith(("http://", "https://")) or len(url.split("/")[2]) == 0:
            raise ValidationError(f"{field} must be an http or https URL", field=field)
