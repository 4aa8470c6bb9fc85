"""The caller's wallet: info, quick balance, transactions, top-up."""

from __future__ import annotations

from entrypoints.http import render
from entrypoints.http import schemas as wire
from entrypoints.http.handlers.payments import create_command
from entrypoints.http.request_handler import ApiHandler


class WalletHandler(ApiHandler):
    async def get(self) -> None:
        info = await self.hamyon.wallets.overview(self.user_id, self.query("currency"))
        self.reply(render.wallet_overview(info))


class BalanceHandler(ApiHandler):
    async def get(self) -> None:
        wallet = await self.hamyon.wallets.get(self.user_id, self.query("currency"))
        [held] = await self.hamyon.wallets.held([wallet])
        self.reply(wire.Balance(balance=wallet.balance, held_balance=held, is_blocked=wallet.is_blocked))


class TransactionsHandler(ApiHandler):
    async def get(self) -> None:
        currency = self.query("currency")
        page = await self.hamyon.wallets.transactions(
            self.user_id, currency, type=self.query("type"), status=self.query("status"),
            days=self.query("days"), page=self.page_request())
        wallet = await self.hamyon.wallets.get(self.user_id, currency)
        self.reply(wire.Transactions(
            transactions=[render.transaction(line, wallet.currency) for line in page.items],
            pagination=render.pagination(page)))


class TopupHandler(ApiHandler):
    async def post(self) -> None:
        command = create_command(self.user_id, self.read())
        await self.money_moving(
            lambda: self.hamyon.payments.create(command),
            lambda created: (201, render.created_payment(created, with_reference=True)), self.payload)
