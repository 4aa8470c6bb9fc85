"""``PaymeMerchantApi``: Payme's one JSON-RPC endpoint, from the raw request to the answer.

``handle`` always returns a JSON-RPC answer (the HTTP edge sends it with status 200, whatever it
says). The checks run in Payme's order: -32300 not a POST, -32700 not JSON, -32504 auth,
-32600 not a JSON-RPC request, -32601 unknown method, -32600 a param missing or mistyped, then
the method's own rules.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from adapters.gateways.payme import wire
from adapters.gateways.payme.errors import (
    AUTH_FAILED,
    INTERNAL,
    NOT_POST,
    UNKNOWN_METHOD,
    PaymeError,
)
from adapters.gateways.payme.keys import Keyring, MemoryKeyStore, PaymeCredentials, PaymeKeyStore
from adapters.gateways.payme.transactions import GATEWAY, PaymeTransactions
from application.hamyon import Hamyon

Answer = dict[str, Any]
Method = Callable[[dict[str, Any], str], Awaitable[Answer]]


class PaymeMerchantApi:
    """Payme's Merchant API for one merchant (``credentials``). ``key_store`` keeps the keys set
    by ChangePassword (in memory unless one backed by storage is given)."""

    name = GATEWAY

    def __init__(self, hamyon: Hamyon, credentials: PaymeCredentials, *,
                 key_store: PaymeKeyStore | None = None) -> None:
        self.credentials = credentials
        self.transactions = PaymeTransactions(hamyon)
        self._keys = Keyring(credentials, key_store or MemoryKeyStore())
        self._events = hamyon.events
        self._methods: dict[str, Method] = {
            "CheckPerformTransaction": self._check_perform,
            "CreateTransaction": self._create,
            "PerformTransaction": self._perform,
            "CancelTransaction": self._cancel,
            "CheckTransaction": self._check,
            "GetStatement": self._statement,
            "ChangePassword": self._change_password,
            "SetFiscalData": self._set_fiscal_data,
        }

    async def handle(self, authorization: str | None, body: bytes, method: str) -> Answer:
        """The JSON-RPC answer to one HTTP request (never raises)."""
        payload: Any = None
        try:
            if method.upper() != "POST":
                raise PaymeError(NOT_POST)
            payload = wire.parse_json(body)
            slot = await self._keys.authenticate(authorization)
            if slot is None:
                self._events.emit("payme_auth_refused")
                raise PaymeError(AUTH_FAILED)
            call = wire.parse_call(payload)
            run = self._methods.get(call.method)
            if run is None:
                raise PaymeError(UNKNOWN_METHOD, call.method[:64])
            return wire.result(call.id, await run(call.params, slot))
        except PaymeError as refusal:
            return wire.error(wire.request_id(payload), refusal)
        except Exception as failure:  # Payme must hear an answer; -32400 makes it retry later
            self._events.emit("payme_internal_error", error=type(failure).__name__)
            return wire.error(wire.request_id(payload), PaymeError(INTERNAL))

    async def cancel_stale_transactions(self) -> int:
        """The 12-hour sweep: state-1 transactions older than 12 hours are cancelled (reason 4)."""
        return await self.transactions.cancel_stale()

    async def _check_perform(self, params: dict[str, Any], slot: str) -> Answer:
        amount = wire.amount(params)
        return await self.transactions.check_perform(amount, wire.order_id(params))

    async def _create(self, params: dict[str, Any], slot: str) -> Answer:
        external_id, time = wire.text(params, "id"), wire.whole(params, "time")
        amount = wire.amount(params)
        return await self.transactions.create(external_id, time, amount, wire.order_id(params))

    async def _perform(self, params: dict[str, Any], slot: str) -> Answer:
        return await self.transactions.perform(wire.text(params, "id"))

    async def _cancel(self, params: dict[str, Any], slot: str) -> Answer:
        external_id, reason = wire.text(params, "id"), wire.cancel_reason(params)
        return await self.transactions.cancel(external_id, reason)

    async def _check(self, params: dict[str, Any], slot: str) -> Answer:
        return await self.transactions.check(wire.text(params, "id"))

    async def _statement(self, params: dict[str, Any], slot: str) -> Answer:
        start, end = wire.whole(params, "from"), wire.whole(params, "to")
        return await self.transactions.statement(start, end)

    async def _set_fiscal_data(self, params: dict[str, Any], slot: str) -> Answer:
        """Payme registered the receipt of a transaction: PERFORM → sale, CANCEL → refund; a repeat
        keeps the first and answers the same."""
        external_id, kind = wire.text(params, "id"), wire.receipt_kind(params)
        return await self.transactions.set_fiscal_data(external_id, kind, wire.fiscal_data(params))

    async def _change_password(self, params: dict[str, Any], slot: str) -> Answer:
        """The new key replaces the one that authenticated this call (production or sandbox)."""
        await self._keys.change(slot, wire.text(params, "password", wire.MAX_PASSWORD_LENGTH))
        return {"success": True}
