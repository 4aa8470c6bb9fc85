"""The admin API (SPEC §6): gateways, billing settings and rules, wallets, payments (the doctor
directory is in ``doctors``). Every write goes through a use case that records it in the audit log
with the admin's id."""

from __future__ import annotations

from uuid import UUID

from domain.errors import ChargeNotFound, GatewayNotFound, ValidationError
from entrypoints.http import admin_render as render
from entrypoints.http import admin_schemas as wire
from entrypoints.http.handlers.payments import parse_payment_id
from entrypoints.http.render import pagination, receipt
from entrypoints.http.request_handler import ApiHandler
from entrypoints.http.routes import path_uuid
from entrypoints.http.validation import amount_checked

MAX_USER_ID = 128


def user_path(raw: str) -> str:
    if not raw.strip() or len(raw) > MAX_USER_ID:
        raise ValidationError(f"user_id must be 1 to {MAX_USER_ID} characters", field="user_id")
    return raw


class AdminGatewaysHandler(ApiHandler):
    async def get(self) -> None:
        configs = await self.hamyon.admin.gateways()
        self.reply(wire.AdminGatewayList(gateways=[render.gateway(c) for c in configs]))


class AdminGatewayHandler(ApiHandler):
    async def get(self, name: str) -> None:
        found = next((c for c in await self.hamyon.admin.gateways() if c.name == name), None)
        if found is None:
            raise GatewayNotFound()
        self.reply(wire.AdminGatewayResponse(gateway=render.gateway(found)))

    async def patch(self, name: str) -> None:
        updated = await self.hamyon.admin.update_gateway(name, self.body(), actor=self.user_id)
        self.reply(wire.AdminGatewayResponse(gateway=render.gateway(updated)))


class AdminSettingsHandler(ApiHandler):
    async def get(self) -> None:
        found = await self.hamyon.admin.settings()
        self.reply(wire.BillingSettings(settings=render.settings(found)))

    async def patch(self) -> None:
        updated = await self.hamyon.admin.update_settings(self.body(), actor=self.user_id)
        self.reply(wire.BillingSettings(settings=render.settings(updated)))


class AdminRulesHandler(ApiHandler):
    async def get(self) -> None:
        rules = await self.hamyon.admin.rules()
        self.reply(wire.AdminRuleList(billing_rules=[render.rule(rule) for rule in rules]))

    async def post(self) -> None:
        body = self.read()
        rule = await self.hamyon.admin.save_rule(body.service_type, self.payload, actor=self.user_id,
                                           create=True)
        self.reply(wire.AdminRuleResponse(rule=render.rule(rule)), 201)


class AdminRuleHandler(ApiHandler):
    async def patch(self, service_type: str) -> None:
        rule = await self.hamyon.admin.save_rule(service_type, self.body(), actor=self.user_id,
                                           create=False)
        self.reply(wire.AdminRuleResponse(rule=render.rule(rule)))

    async def delete(self, service_type: str) -> None:
        await self.hamyon.admin.delete_rule(service_type, actor=self.user_id)
        self.reply(wire.Deleted(deleted=True))


class AdminWalletHandler(ApiHandler):
    async def get(self, user_id: str) -> None:
        """The user's wallets as they are: reading creates none (no wallet: an empty list)."""
        wallets = await self.hamyon.wallets.existing(user_path(user_id), self.query("currency"))
        self.reply(render.wallets(user_id, wallets, await self.hamyon.wallets.held(wallets)))


class AdminWalletsHandler(ApiHandler):
    async def get(self) -> None:
        page = await self.hamyon.wallets.search(self.page_request(), self.query("search") or "")
        held = await self.hamyon.wallets.held(list(page.items))
        rows = [render.wallet(each, amount) for each, amount in zip(page.items, held, strict=True)]
        self.reply(wire.WalletList(wallets=rows, pagination=pagination(page)),
                   headers={"X-Total-Count": str(page.total_count)})


class AdminBlockHandler(ApiHandler):
    blocked = True

    async def post(self, user_id: str) -> None:
        self.body()
        wallets = await self.hamyon.wallets.set_blocked(user_path(user_id), self.blocked, actor=self.user_id)
        self.reply(render.wallets(user_id, wallets, await self.hamyon.wallets.held(wallets)))


class AdminUnblockHandler(AdminBlockHandler):
    blocked = False


class AdminAdjustHandler(ApiHandler):
    async def post(self, user_id: str) -> None:
        body = self.read()
        owner = user_path(user_id)
        await self.money_moving(
            lambda: self.hamyon.wallets.adjust(owner, body.amount, body.currency, body.reason,
                                              actor=self.user_id),
            lambda done: (200, wire.AdjustmentResult(wallet=render.wallet(done.wallet),
                                                     transaction_id=done.transfer.id)),
            self.payload)


class AdminPaymentsHandler(ApiHandler):
    async def get(self) -> None:
        page = await self.hamyon.admin.search_payments(
            self.page_request(), status=self.query("status"), gateway=self.query("gateway"),
            user_id=self.query("user_id"), created_from=self.query("created_from"),
            created_to=self.query("created_to"), q=self.query("q"))
        self.reply(wire.AdminPayments(payments=[render.payment(p) for p in page.items],
                                      pagination=pagination(page)))


class AdminRefundHandler(ApiHandler):
    async def post(self, payment_id: str) -> None:
        body = self.body()
        wanted = parse_payment_id(payment_id)
        await self.money_moving(
            lambda: self.hamyon.settlement.refund(wanted, actor=self.user_id),
            lambda done: (200, wire.AdminPayment(payment=render.payment(done.payment))), body)


class AdminPaymentHandler(ApiHandler):
    async def get(self, payment_id: str) -> None:
        found = await self.hamyon.admin.payment(parse_payment_id(payment_id))
        receipts = await self.hamyon.fiscal.receipts(found.id)
        self.reply(wire.AdminPaymentDetail(payment=render.payment(found),
                                           fiscal_receipts=[receipt(r) for r in receipts]))


class AdminPaymentLogsHandler(ApiHandler):
    async def get(self, payment_id: str) -> None:
        logs = await self.hamyon.admin.payment_logs(parse_payment_id(payment_id))
        self.reply(wire.PaymentLogs(logs=[render.log(entry) for entry in logs]))


class AdminChargeRefundHandler(ApiHandler):
    async def post(self, transaction_id: str) -> None:
        body = amount_checked(self.read())
        wanted = parse_charge_id(transaction_id)
        await self.money_moving(
            lambda: self.hamyon.charge_refunds.refund(wanted, body.amount, body.reason, actor=self.user_id),
            lambda done: (200, wire.ChargeRefunded(
                transaction_id=done.charge.id, refund_transaction_id=done.refund.id,
                amount=done.refund.amount, refunded_amount=done.refunded, charge_amount=done.charge.amount,
                currency=done.charge.amount.currency, balance_after=done.wallet.balance)),
            {**self.payload, "charge": transaction_id})


def parse_charge_id(raw: str) -> UUID:
    return path_uuid(raw, ChargeNotFound)
