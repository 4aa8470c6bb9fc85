"""Holds (SPEC §13): the caller reserves a service's price, then captures or releases it. Every
POST takes an ``Idempotency-Key``: a repeat answers what the first did."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from application.holds import HoldRequest, HoldResult
from domain.errors import HoldNotFound
from domain.holds import Hold
from entrypoints.http import hold_schemas as wire
from entrypoints.http.render import pagination
from entrypoints.http.request_handler import ApiHandler
from entrypoints.http.routes import path_uuid
from entrypoints.http.validation import amount_checked
from entrypoints.http.wire import project


def parse_hold_id(raw: str) -> UUID:
    return path_uuid(raw, HoldNotFound)


def hold_row(hold: Hold) -> Any:
    return project(wire.HoldRow, hold, captured_amount=hold.captured(), currency=hold.currency)


def answer(result: HoldResult) -> Any:
    return wire.HoldAnswer(hold=hold_row(result.hold), balance=result.balance,
                           held_balance=result.held_balance, currency=result.balance.currency)


class HoldsHandler(ApiHandler):
    async def get(self) -> None:
        page = await self.hamyon.holds.list(self.user_id, self.page_request(), self.query("status"))
        self.reply(wire.HoldList(holds=[hold_row(hold) for hold in page.items],
                                 pagination=pagination(page)))

    async def post(self) -> None:
        body = self.read()
        related = body.related_object_id
        request = HoldRequest(self.user_id, body.service_type, body.quantity, body.amount,
                              "" if related is None else related, body.expires_in)
        await self.money_moving(lambda: self.hamyon.holds.create(request),
                                lambda result: (201, answer(result)), self.payload)


class HoldHandler(ApiHandler):
    async def get(self, hold_id: str) -> None:
        self.reply(answer(await self.hamyon.holds.get(self.user_id, parse_hold_id(hold_id))))


class HoldCaptureHandler(ApiHandler):
    async def post(self, hold_id: str) -> None:
        body = amount_checked(self.read())
        wanted = parse_hold_id(hold_id)
        await self.money_moving(lambda: self.hamyon.holds.capture(self.user_id, wanted, body.amount),
                                lambda result: (200, answer(result)), {**self.payload, "hold": hold_id})


class HoldReleaseHandler(ApiHandler):
    async def post(self, hold_id: str) -> None:
        self.body()
        wanted = parse_hold_id(hold_id)
        await self.money_moving(lambda: self.hamyon.holds.release(self.user_id, wanted),
                                lambda result: (200, answer(result)), {**self.payload, "hold": hold_id})
