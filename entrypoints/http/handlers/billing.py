"""Pay-per-use: rules, check-access, charge, summaries, daily usage (the protected doctor view is in
``doctors``)."""

from __future__ import annotations

from typing import Any

from application.billing import ChargeRequest
from entrypoints.http import render
from entrypoints.http.request_handler import ApiHandler


def charge_request(user_id: str, body: Any, language: str) -> ChargeRequest:
    """A charge from the wire's ``ChargeRequest`` (an explicit null quantity stays None, as sent)."""
    related = body.related_object_id
    return ChargeRequest(user_id, body.service_type, body.quantity,
                         "" if related is None else related, language=language)


class BillingRulesHandler(ApiHandler):
    async def get(self) -> None:
        rules, settings = await self.hamyon.billing.rules()
        self.reply(render.billing_rules(rules, settings, self.language))


class CheckAccessHandler(ApiHandler):
    async def post(self) -> None:
        request = charge_request(self.user_id, self.read(), self.language)
        check = await self.hamyon.billing.check_access(request)
        self.reply(render.access(check, self.language))


class ChargeHandler(ApiHandler):
    async def post(self) -> None:
        request = charge_request(self.user_id, self.read(), self.language)
        await self.money_moving(lambda: self.hamyon.billing.charge(request),
                                lambda result: (200, render.charge(result, self.language)),
                                self.payload, lane=request.user_id)


class BillingSummaryHandler(ApiHandler):
    async def get(self) -> None:
        found = await self.hamyon.billing.summary(self.user_id, self.query("days"),
                                                  self.query("currency"))
        self.reply(render.summary(found))


class DailyUsageHandler(ApiHandler):
    async def get(self) -> None:
        report = await self.hamyon.billing.daily_usage(self.user_id, self.query("currency"))
        self.reply(render.daily_usage(report))
