"""Gateways and top-up payments: list, status, create, payment status, cancel, history, estimate."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from application.payments import CreatePayment
from domain.errors import PaymentNotFound, ValidationError
from domain.text import check_web_url, with_outcome
from entrypoints.http import render
from entrypoints.http import schemas as wire
from entrypoints.http.i18n import message
from entrypoints.http.request_handler import ApiHandler
from entrypoints.http.routes import path_uuid


def parse_payment_id(raw: str) -> UUID:
    """A payment id from the path; anything that is not a UUID is simply not found."""
    return path_uuid(raw, PaymentNotFound)


def create_command(user_id: str, body: Any) -> CreatePayment:
    """A top-up from a ``CreatePaymentRequest``."""
    return CreatePayment(user_id, body.gateway, body.amount, body.currency,
                         callback_url=body.callback_url or "", return_url=body.return_url or "",
                         description=body.description or "")


class GatewaysHandler(ApiHandler):
    async def get(self) -> None:
        configs = await self.hamyon.gateways.active()
        self.reply(wire.GatewayList(gateways=[render.gateway(config) for config in configs]))


class GatewayStatusHandler(ApiHandler):
    async def get(self) -> None:
        statuses = await self.hamyon.gateways.statuses()
        self.reply(wire.GatewayStatusList(gateways=[
            wire.GatewayProbe(gateway=config.display_name, name=config.name,
                              available=probe.available, message=probe.message,
                              response_time=round(probe.response_time, 3))
            for config, probe in statuses], timestamp=datetime.now(UTC)))


class CreatePaymentHandler(ApiHandler):
    async def post(self) -> None:
        command = create_command(self.user_id, self.read())
        await self.money_moving(lambda: self.hamyon.payments.create(command),
                                lambda created: (201, render.created_payment(created)), self.payload)


class PaymentStatusHandler(ApiHandler):
    async def get(self, payment_id: str) -> None:
        found = await self.hamyon.payments.get(self.user_id, parse_payment_id(payment_id))
        receipts = await self.hamyon.fiscal.receipts(found.id)
        self.reply(render.payment_status(found, self.language, receipts))


class PaymentReturnHandler(ApiHandler):
    """Where Click and Payme send the payer back: the payment's current status decides nothing
    here, it is only told to the platform (whoever holds the unguessable payment id learns it)."""

    async def get(self, payment_id: str) -> None:
        payment = await self.hamyon.admin.payment(parse_payment_id(payment_id))
        for url in (payment.return_url, payment.callback_url):
            try:
                if url and check_web_url(url, "return_url"):
                    self.redirect(with_outcome(url, payment.id, payment.status.value), status=303)
                    return
            except ValidationError:
                continue
        self.reply(wire.PaymentReturn(payment_id=payment.id, status=payment.status))


class CancelPaymentHandler(ApiHandler):
    async def post(self, payment_id: str) -> None:
        body = self.body()
        wanted = parse_payment_id(payment_id)
        await self.money_moving(
            lambda: self.hamyon.payments.cancel(self.user_id, wanted),
            lambda _: (200, wire.Message(message=message("payment_cancelled", self.language))), body)


class PaymentHistoryHandler(ApiHandler):
    async def get(self) -> None:
        page = await self.hamyon.payments.history(self.user_id, self.page_request())
        self.reply([render.history_item(payment, self.language) for payment in page.items],
                   headers={"X-Total-Count": str(page.total_count)})


class EstimateHandler(ApiHandler):
    async def post(self) -> None:
        body = self.read()
        found = await self.hamyon.payments.estimate(self.user_id, body.gateway, body.amount, body.currency)
        self.reply(render.estimate(found))
