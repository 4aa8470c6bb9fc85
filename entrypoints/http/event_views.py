"""The objects an event to the platform carries (SPEC §12), as the API shows them: a payment as
the admin API's payment row, a wallet as its wallet row, a charge as the charge answer (without
``success``, with the wallet's ``currency`` beside its amounts)."""

from __future__ import annotations

from application.billing import ChargeResult
from application.charge_refunds import ChargeRefund
from domain.fiscal import FiscalReceipt
from domain.holds import Hold
from domain.ledger import Wallet
from domain.payments import Payment
from entrypoints.http import admin_render, render
from entrypoints.http.converter import converter
from entrypoints.http.jsonio import encode


class HttpEventViews:
    def payment(self, payment: Payment) -> str:
        return encode(converter.unstructure(admin_render.payment(payment)))

    def receipt(self, receipt: FiscalReceipt) -> str:
        shown = converter.unstructure(render.receipt(receipt))
        return encode({"payment_id": receipt.payment_id, "gateway": receipt.gateway, **shown})

    def charge(self, charge: ChargeResult) -> str:
        shown = converter.unstructure(render.charge(charge, "en"))
        shown.pop("success", None)
        shown["currency"] = charge.balance_after.currency.value
        return encode(shown)

    def hold(self, hold: Hold) -> str:
        from entrypoints.http.handlers.holds import hold_row

        return encode(converter.unstructure(hold_row(hold)))

    def charge_refund(self, refund: ChargeRefund, reason: str) -> str:
        return encode({"transaction_id": refund.charge.id, "refund_transaction_id": refund.refund.id,
                       "amount": refund.refund.amount.amount, "refunded_amount": refund.refunded.amount,
                       "charge_amount": refund.charge.amount.amount,
                       "currency": refund.charge.amount.currency.value, "reason": reason,
                       "balance_after": refund.wallet.balance.amount})

    def wallet(self, wallet: Wallet) -> str:
        return encode(converter.unstructure(admin_render.wallet(wallet)))
