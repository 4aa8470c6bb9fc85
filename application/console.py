"""The admin console's own use cases (SPEC §16): one-time sign-in links, sign-out and the
dashboard's figures. Everything else a console page shows or changes goes through the admin
API's use cases."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from attrs import frozen

from application.dependencies import UseCases
from domain.console import LINK_TTL, ConsoleLink, DailyTotal, GatewayOutcomes, ServiceRevenue, link_hash
from ports.storage import UnitOfWork

DASHBOARD_DAYS = 30


@frozen
class SignInLink:
    token: str  # in the URL only; the storage keeps its hash
    admin_id: str
    expires_at: datetime


@frozen
class Dashboard:
    days: tuple[date, ...]  # the last DASHBOARD_DAYS local days, oldest first
    daily: tuple[DailyTotal, ...]
    revenue: tuple[ServiceRevenue, ...]
    outcomes: tuple[GatewayOutcomes, ...]


class ConsoleUseCases(UseCases):
    async def make_link(self, admin_id: str = "admin") -> SignInLink:
        """A sign-in link valid for ten minutes, good for one session; its making is audited."""
        token = secrets.token_urlsafe(32)
        now = self._now()
        link = ConsoleLink(link_hash(token), admin_id, now, now + LINK_TTL)

        async def body(uow: UnitOfWork) -> SignInLink:
            await uow.console_links.add(link)
            await self._audit(uow, admin_id, "make_console_link", "console", f"valid until {link.expires_at}")
            return SignInLink(token, admin_id, link.expires_at)

        return await self._units.write(body)

    async def redeem_link(self, token: str) -> str | None:
        """The admin the link signs in, once: None when it is unknown, used or expired."""
        async def body(uow: UnitOfWork) -> str | None:
            link = await uow.console_links.redeem(link_hash(token), self._now())
            if link is not None:
                await self._audit(uow, link.admin_id, "console_sign_in", "console", "by link")
            return link.admin_id if link is not None else None

        return await self._units.write(body)

    async def sign_out(self, session_id: str, admin_id: str, expires_at: datetime) -> None:
        """End a session before its time, for every process: its cookie opens nothing more."""
        async def body(uow: UnitOfWork) -> None:
            await uow.console_links.sign_out(link_hash(session_id), expires_at, self._now())
            await self._audit(uow, admin_id, "console_sign_out", "console", "signed out")

        await self._units.write(body)

    async def signed_out(self, session_id: str) -> bool:
        """Whether the session was signed out (its cookie may still be offered by a copy)."""
        async def body(uow: UnitOfWork) -> bool:
            return await uow.console_links.signed_out(link_hash(session_id))

        return await self._units.read(body)

    async def dashboard(self) -> Dashboard:
        """The last 30 local days' top-ups and charges, and revenue per service and gateway
        outcomes over them; the storage aggregates, nothing is read row by row. (The page adds
        ``admin.verify_ledger`` and ``gateways.statuses``.)"""
        now = self._now()
        local_now = now.astimezone(self.config.zone)
        offset = int((local_now.utcoffset() or timedelta()).total_seconds())
        first_day = local_now.date() - timedelta(days=DASHBOARD_DAYS - 1)
        since = datetime.combine(first_day, datetime.min.time(), self.config.zone)

        async def body(uow: UnitOfWork) -> tuple[list[DailyTotal], list[ServiceRevenue],
                                                 list[GatewayOutcomes]]:
            return (await uow.reports.daily_totals(since, offset),
                    await uow.reports.service_revenue(since), await uow.reports.gateway_outcomes(since))

        daily, revenue, outcomes = await self._units.read(body)
        days = tuple(first_day + timedelta(days=n) for n in range(DASHBOARD_DAYS))
        return Dashboard(days, tuple(daily), tuple(revenue), tuple(outcomes))
