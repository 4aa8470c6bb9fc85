"""One worker process of the proofs: ``python -m tests.proofs.worker '<json order>'``.

It opens its own facade on the order's database (as a second server process would), prints
``ready``, waits for a line on stdin, runs its scenario with concurrent tasks, and prints one JSON
line. The crash streams instead run until they are killed, appending a line to the acknowledgement file
after each use case has returned (so the line exists only if the use case said it was done).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import sys
import time
from collections.abc import Awaitable, Callable, Iterable
from decimal import Decimal
from typing import Any

from application.billing import ChargeRequest, ChargeResult
from application.hamyon import Hamyon
from application.idempotency import IdempotencyRequest, StoredResponse
from application.payments import CreatePayment
from domain.errors import DomainError, InsufficientFunds
from domain.journal import fingerprint
from tests.proofs.databases import Database, facade
from tests.proofs.ledger import fund

STREAM_LIMIT_SECONDS = 60  # the crash stream ends by itself if nobody kills it

CHARGE_PATH = "/api/payments/billing/charge/"
ACKNOWLEDGING = "acknowledging"


def failure(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


async def tally(tasks: Iterable[Awaitable[str]], known: tuple[str, ...]) -> dict[str, Any]:
    """Runs the tasks at once: how many ended in each known outcome; any other is an error."""
    outcomes = await asyncio.gather(*tasks)
    return {**{outcome: outcomes.count(outcome) for outcome in known},
            "errors": [o for o in outcomes if o not in known]}


async def charges(hamyon: Hamyon, order: dict[str, Any]) -> dict[str, Any]:
    """Concurrent charges of one service; with ``related_prefix``, each names an object of its own
    (a doctor viewed once), so that free quotas apply."""
    async def one(task: int) -> str:
        related = f"{order['related_prefix']}-{task}" if order.get("related_prefix") else ""
        try:
            result = await hamyon.billing.charge(ChargeRequest(order["user"], order["service"],
                                                       related_object_id=related))
            return "charged" if result.charged else "free"
        except InsufficientFunds:
            return "insufficient"
        except Exception as error:
            return failure(error)

    return await tally((one(task) for task in range(order["tasks"])), ("charged", "free", "insufficient"))


async def completions(hamyon: Hamyon, order: dict[str, Any]) -> dict[str, Any]:
    async def one() -> bool | str:
        try:
            return (await hamyon.settlement.complete_attempt("sandbox", order["external_id"])).credited
        except Exception as error:
            return failure(error)

    outcomes = await asyncio.gather(*(one() for _ in range(order["tasks"])))
    return {"credited": [o for o in outcomes if isinstance(o, bool)],
            "errors": [o for o in outcomes if not isinstance(o, bool)]}


def render(result: ChargeResult) -> StoredResponse:
    return StoredResponse(200, json.dumps({"transaction_id": str(result.transaction_id),
                                           "balance_after": result.balance_after.minor}))


async def idempotent(hamyon: Hamyon, order: dict[str, Any]) -> dict[str, Any]:
    body = {"service_type": "consultation"}
    request = IdempotencyRequest(order["user"], order["key"], "POST", CHARGE_PATH, fingerprint(body))

    async def one() -> list[Any] | str:
        try:
            answer = await hamyon.idempotency.run(
                request, lambda: hamyon.billing.charge(ChargeRequest(order["user"], "consultation")), render)
            return [answer.status_code, answer.body, answer.replayed]
        except Exception as error:
            return failure(error)

    outcomes = await asyncio.gather(*(one() for _ in range(order["tasks"])))
    return {"answers": [o for o in outcomes if isinstance(o, list)],
            "errors": [o for o in outcomes if isinstance(o, str)]}


class Acknowledgements:
    """One line per finished operation, each written whole with one ``write`` to an append-only
    file: the kernel keeps it even if the process dies the next instant."""

    def __init__(self, path: str) -> None:
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self._announced = False

    def add(self, *words: object) -> None:
        os.write(self._fd, (" ".join(map(str, words)) + "\n").encode())
        if not self._announced:  # the parent starts its random countdown from here
            self._announced = True
            print(ACKNOWLEDGING, flush=True)


async def crash_stream(hamyon: Hamyon, order: dict[str, Any]) -> dict[str, Any]:
    acks = Acknowledgements(order["acks"])
    deadline = time.monotonic() + STREAM_LIMIT_SECONDS

    async def stream(user: str, rng: random.Random) -> None:
        step = 0
        while time.monotonic() < deadline:
            step += 1
            # A refusal (not enough money, over the balance cap) changed nothing: nothing to acknowledge.
            with contextlib.suppress(DomainError):
                await one_operation(hamyon, acks, user, step, rng)

    await asyncio.gather(*(stream(user, random.Random(f"{order['seed']}-{user}"))
                           for user in order["users"]))
    return {"finished": True}


async def one_operation(hamyon: Hamyon, acks: Acknowledgements, user: str, step: int,
                        rng: random.Random) -> None:
    """A top-up through the sandbox (created, then mostly completed) or a paid charge."""
    if rng.random() < 0.4:
        amount = Decimal(rng.choice((20_000, 50_000, 100_000)))
        created = await hamyon.payments.create(CreatePayment(user, "sandbox", amount))
        acks.add("created", created.payment.id)
        if rng.random() < 0.85:
            await hamyon.settlement.complete_attempt("sandbox", created.payment.external_id)
            acks.add("completed", created.payment.id)
        return
    service = rng.choice(("consultation", "ai_diagnosis", "chat_message"))
    related = f"{user}-{step}"
    result = await hamyon.billing.charge(ChargeRequest(user, service, related_object_id=related))
    acks.add("charged", result.transaction_id, f"{service}:{related}")


async def crash_holds(hamyon: Hamyon, order: dict[str, Any]) -> dict[str, Any]:
    """Per user, until killed: hold a consultation, then capture all or part of it, or release it,
    or leave it active; each step acknowledged once it has returned."""
    from application.holds import HoldRequest

    acks = Acknowledgements(order["acks"])
    deadline = time.monotonic() + STREAM_LIMIT_SECONDS

    async def stream(user: str, rng: random.Random) -> None:
        while time.monotonic() < deadline:
            try:
                hold = (await hamyon.holds.create(HoldRequest(user, "consultation"))).hold
            except InsufficientFunds:  # captures spent it: more, and go on
                await fund(hamyon, user, 500_000)
                continue
            acks.add("held", hold.id)
            choice = rng.random()
            if choice < 0.7:
                amount = None if rng.random() < 0.5 else Decimal(rng.choice((10_000, 25_000, 49_999)))
                captured = (await hamyon.holds.capture(user, hold.id, amount)).hold
                acks.add("captured", hold.id, captured.transaction_id)
            elif choice < 0.9:
                await hamyon.holds.release(user, hold.id)
                acks.add("released", hold.id)

    await asyncio.gather(*(stream(user, random.Random(f"{order['seed']}-{user}"))
                           for user in order["users"]))
    return {"finished": True}


async def holds(hamyon: Hamyon, order: dict[str, Any]) -> dict[str, Any]:
    """Concurrent holds on one wallet, or (with ``hold``) concurrent captures of one hold."""
    from uuid import UUID

    from application.holds import HoldRequest
    from domain.errors import HoldNotActive

    async def one(task: int) -> str:
        try:
            if order.get("hold"):
                await hamyon.holds.capture(order["user"], UUID(order["hold"]))
            else:
                await hamyon.holds.create(HoldRequest(order["user"], "consultation",
                                                      related_object_id=f"c-{task}"))
            return "done"
        except InsufficientFunds:
            return "insufficient"
        except HoldNotActive:
            return "not_active"
        except Exception as error:
            return failure(error)

    return await tally((one(task) for task in range(order["tasks"])), ("done", "insufficient", "not_active"))


async def refunds(hamyon: Hamyon, order: dict[str, Any]) -> dict[str, Any]:
    """Concurrent partial refunds of one charge."""
    from uuid import UUID

    from domain.errors import RefundExceedsCharge

    async def one() -> str:
        try:
            await hamyon.charge_refunds.refund(UUID(order["charge"]), order["amount"], "proof", actor="proof")
            return "refunded"
        except RefundExceedsCharge:
            return "refused"
        except Exception as error:
            return failure(error)

    return await tally((one() for _ in range(order["tasks"])), ("refunded", "refused"))


async def deliveries(hamyon: Hamyon, order: dict[str, Any]) -> dict[str, Any]:
    """Deliver events to the endpoints until none waits (another process does the same)."""
    from adapters.webhooks.sender import TornadoSender
    from entrypoints.webhook_delivery import Deliverer

    deliverer = Deliverer(hamyon, TornadoSender(timeout=5))
    started, deadline = 0, time.monotonic() + STREAM_LIMIT_SECONDS / 3
    try:
        while time.monotonic() < deadline:
            started += await deliverer.run()
            if await hamyon.webhooks.oldest_undelivered() is None:
                break
            await asyncio.sleep(0.02)
        await deliverer.drain()
    finally:
        await deliverer.close()
    return {"started": started}


SCENARIOS: dict[str, Callable[[Hamyon, dict[str, Any]], Awaitable[dict[str, Any]]]] = {
    "charges": charges, "completions": completions, "idempotent": idempotent,
    "crash_stream": crash_stream, "deliveries": deliveries, "holds": holds,
    "refunds": refunds, "crash_holds": crash_holds,
}
STREAMS = ("crash_stream", "crash_holds")  # run until killed, no go-ahead on stdin


async def main(order: dict[str, Any]) -> None:
    async with facade(Database.from_json(order["database"])) as (hamyon, _):
        print("ready", flush=True)
        if order["scenario"] not in STREAMS:
            await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        answer = await SCENARIOS[order["scenario"]](hamyon, order)
    print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    asyncio.run(main(json.loads(sys.argv[1])))
