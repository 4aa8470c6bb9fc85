"""The holds' shapes (SPEC §13): reserve, capture, release, read, list."""

from __future__ import annotations

from domain.holds import DEFAULT_EXPIRES_IN, MAX_EXPIRES_IN, MIN_EXPIRES_IN, HoldStatus
from entrypoints.http.schemas import CODE, Pagination
from entrypoints.http.wire import (
    amount,
    choice,
    many,
    moment,
    money,
    nullable,
    one,
    request,
    row,
    success,
    text,
    text_or_whole,
    uuid,
    whole,
    with_default,
)

HoldCreate = request("HoldCreate", {
    "service_type": text(64), "quantity": with_default(whole(1, 10_000), 1),
    "amount": amount("Amount to hold (default: the rule's total for the quantity)"),
    "related_object_id": text_or_whole(64),
    "expires_in": whole(MIN_EXPIRES_IN, MAX_EXPIRES_IN)}, required=("service_type",),
    examples=({"service_type": "consultation", "related_object_id": 123, "expires_in": DEFAULT_EXPIRES_IN},))
HoldCapture = request("HoldCapture", {"amount": amount("Amount to capture (default: all of it)")},
                      required=())

HoldRow = row("HoldRow", {
    "id": uuid(), "status": choice(HoldStatus, 16), "service_type": text(64), "amount": money(),
    "captured_amount": money(), "currency": CODE, "related_object_id": text(64),
    "transaction_id": nullable(uuid()), "expires_at": moment(), "created_at": moment()})
HoldAnswer = success("HoldAnswer", hold=one(HoldRow), balance=money(), held_balance=money(), currency=CODE)
HoldList = success("HoldList", holds=many(HoldRow), pagination=one(Pagination))
