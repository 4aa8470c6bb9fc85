"""The console's sign-in links, its signed-out sessions and its dashboard's aggregates, in memory."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

import attrs

from adapters.memory.session import Repository
from domain.console import ConsoleLink, DailyTotal, GatewayOutcomes, ServiceRevenue
from domain.ledger import AccountKind, TransferKind
from domain.money import Currency

FORGET_AFTER = timedelta(days=1)


class MemoryConsoleLinkRepository(Repository):
    async def add(self, link: ConsoleLink) -> None:
        links = (await self._tables()).writable("console_links")
        for stale in [h for h, kept in links.items() if kept.expires_at <= link.created_at - FORGET_AFTER]:
            del links[stale]
        links[link.token_hash] = link

    async def redeem(self, token_hash: str, now: datetime) -> ConsoleLink | None:
        links = (await self._tables()).writable("console_links")
        found = links.get(token_hash)
        if found is None or not found.usable_at(now):
            return None
        links[token_hash] = used = attrs.evolve(found, used_at=now)
        return used

    async def sign_out(self, session_hash: str, expires_at: datetime, now: datetime) -> None:
        ended = (await self._tables()).writable("console_sign_outs")
        for stale in [h for h, until in ended.items() if until <= now]:
            del ended[stale]
        ended.setdefault(session_hash, expires_at)

    async def signed_out(self, session_hash: str) -> bool:
        return session_hash in (await self._tables()).table("console_sign_outs")


class MemoryDashboard(Repository):
    """The dashboard's reads (``ports.reports``), mixed into ``MemoryReports``."""

    async def daily_totals(self, since: datetime, utc_offset_seconds: int) -> list[DailyTotal]:
        shift = timedelta(seconds=utc_offset_seconds)
        counts: dict[tuple[object, str, Currency], list[int]] = defaultdict(lambda: [0, 0])
        for t in (await self._tables()).log("transfers"):
            if t.created_at < since or not _counted(t.kind, t.credit.kind):
                continue
            total = counts[((t.created_at + shift).date(), t.kind.value, t.amount.currency)]
            total[0] += 1
            total[1] += t.amount.minor
        return [DailyTotal(day, kind, currency, n, amount)  # type: ignore[arg-type]
                for (day, kind, currency), (n, amount) in sorted(
                    counts.items(), key=lambda item: (item[0][0], item[0][1], item[0][2].value))]

    async def service_revenue(self, since: datetime) -> list[ServiceRevenue]:
        counts: dict[tuple[str, Currency], list[int]] = defaultdict(lambda: [0, 0])
        for t in (await self._tables()).log("transfers"):
            if t.created_at >= since and t.kind is TransferKind.CHARGE:
                total = counts[(t.credit.owner, t.amount.currency)]
                total[0] += 1
                total[1] += t.amount.minor
        return [ServiceRevenue(service, currency, n, amount)
                for (service, currency), (n, amount) in sorted(
                    counts.items(), key=lambda item: (item[0][0], item[0][1].value))]

    async def gateway_outcomes(self, since: datetime) -> list[GatewayOutcomes]:
        counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for payment in (await self._tables()).table("payments").values():
            if payment.created_at >= since:
                counts[payment.gateway][payment.status.value] += 1
        return [GatewayOutcomes(gateway, dict(counts[gateway])) for gateway in sorted(counts)]


def _counted(kind: TransferKind, credited: AccountKind) -> bool:
    """A top-up's transfer into the wallet (not its commission's), or a charge."""
    return kind is TransferKind.CHARGE or (kind is TransferKind.TOPUP and credited is AccountKind.WALLET)
