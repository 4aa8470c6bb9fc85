"""The console's pages: each reads through the use cases the admin API calls."""

from __future__ import annotations

import asyncio
import time
import weakref
from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import date

from application.console import Dashboard
from application.hamyon import Hamyon
from domain.api_keys import SCOPES
from domain.errors import ValidationError
from domain.events import ALL, EVENT_TYPES, WebhookEndpoint
from domain.ledger import VerifyReport
from domain.money import Currency, Money
from domain.paging import Page, PageRequest
from domain.payments import PaymentStatus
from entrypoints.console.charts import bar_chart
from entrypoints.console.forms import DOCTOR_FIELDS, GATEWAY_FIELDS, RULE_FIELDS, SETTINGS_FIELDS, shown
from entrypoints.console.handler import ConsoleHandler, money
from entrypoints.http.handlers.admin import user_path
from entrypoints.http.handlers.payments import parse_payment_id
from entrypoints.http.handlers.webhooks import endpoint_id as endpoint_id_of
from entrypoints.http.i18n import error_text

PER_PAGE = 25
PAYMENT_FILTERS = ("status", "gateway", "user", "created_from", "created_to", "q")


class ListingHandler(ConsoleHandler):
    def page_request(self) -> PageRequest:
        raw = self.get_query_argument("page", "1") or "1"
        return PageRequest(int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 7 else 1,
                           PER_PAGE)

    def query(self, name: str) -> str:
        return (self.get_query_argument(name, "") or "").strip()[:128]


LEDGER_CHECK_SECONDS = 60.0
_checked: weakref.WeakKeyDictionary[Hamyon, tuple[float, VerifyReport]] = weakref.WeakKeyDictionary()


async def recent_ledger_check(hamyon: Hamyon, clock: Callable[[], float] = time.monotonic) -> VerifyReport:
    """The ledger check, run again only when the last one in this process is a minute old: it
    sums every entry (over 100,000 charges, several times the rest of the dashboard's cost)."""
    kept = _checked.get(hamyon)
    if kept is not None and clock() - kept[0] < LEDGER_CHECK_SECONDS:
        return kept[1]
    report = await hamyon.admin.verify_ledger()
    _checked[hamyon] = clock(), report
    return report


class DashboardHandler(ConsoleHandler):
    async def get(self) -> None:
        figures, ledger, probes = await asyncio.gather(  # the probes wait on gateways, not on us
            self.hamyon.console.dashboard(), recent_ledger_check(self.hamyon),
            self.hamyon.gateways.statuses())
        self.page("dashboard.html", figures=figures, charts=self.charts(figures), ledger=ledger,
                  probes=probes)

    def charts(self, figures: Dashboard) -> list[tuple[str, str, str]]:
        """(title, svg, totals) for top-ups and charges of each currency seen, the default first."""
        by_series: dict[tuple[str, Currency], dict[date, tuple[int, int]]] = defaultdict(dict)
        for total in figures.daily:
            by_series[(total.kind, total.currency)][total.day] = (total.count, total.amount)
        default = self.hamyon.config.default_currency
        series = {("topup", default), ("charge", default), *by_series}
        ordered = sorted(series, key=lambda s: (s[1] is not default, s[1].value, s[0] != "topup"))
        return [self.chart(kind, currency, figures.days, by_series.get((kind, currency), {}))
                for kind, currency in ordered]

    def chart(self, kind: str, currency: Currency, days: tuple[date, ...],
              totals: dict[date, tuple[int, int]]) -> tuple[str, str, str]:
        title = self.t("Top-ups per day") if kind == "topup" else self.t("Charges per day")
        bars = []
        for day in days:
            count, amount = totals.get(day, (0, 0))
            bars.append((day.strftime("%m-%d"), amount, f"{day}: {count} · {money(Money(amount, currency))}"))
        count = sum(n for n, _ in totals.values())
        whole = Money(sum(amount for _, amount in totals.values()), currency)
        return f"{title} ({currency.value})", bar_chart(bars, label=title), f"{count} · {money(whole)}"


class PaymentsHandler(ListingHandler):
    async def get(self) -> None:
        """The filters as the admin API takes them; a refused one is shown above the form (400)."""
        filters = {name: self.query(name) for name in PAYMENT_FILTERS}
        refusal: dict[str, str] = {}
        try:
            found = await self.hamyon.admin.search_payments(
                self.page_request(), status=filters["status"] or None, gateway=filters["gateway"] or None,
                user_id=filters["user"] or None, created_from=filters["created_from"],
                created_to=filters["created_to"], q=filters["q"])
        except ValidationError as refused:
            self.set_status(400)
            found = Page((), 0, self.page_request())
            refusal["error"] = error_text(refused.message, self.language)
        self.page("payments.html", found=found, **filters, **refusal,
                  statuses=[s.value for s in PaymentStatus],
                  gateways=[g.name for g in await self.hamyon.admin.gateways()])


class PaymentHandler(ConsoleHandler):
    async def get(self, raw_id: str) -> None:
        payment_id = parse_payment_id(raw_id)
        found = await self.hamyon.admin.payment(payment_id)
        self.page("payment.html", payment=found, logs=await self.hamyon.admin.payment_logs(payment_id),
                  attempts=await self.hamyon.settlement.attempts(payment_id),
                  receipts=await self.hamyon.fiscal.receipts(payment_id))


class WalletsHandler(ListingHandler):
    async def get(self) -> None:
        search = self.query("search")
        found = await self.hamyon.wallets.search(self.page_request(), search)
        held = await self.hamyon.wallets.held(list(found.items))
        self.page("wallets.html", found=found, rows=list(zip(found.items, held, strict=True)), search=search)


class WalletHandler(ListingHandler):
    async def get(self, user_id: str) -> None:
        owner = user_path(user_id)
        wallets = await self.hamyon.wallets.existing(owner)
        held = await self.hamyon.wallets.held(wallets)
        lines = {wallet.currency: await self.hamyon.wallets.transactions(
            owner, wallet.currency, days=365, page=self.page_request()) for wallet in wallets}
        self.page("wallet.html", owner=owner, rows=list(zip(wallets, held, strict=True)), lines=lines,
                  currencies=[c.value for c in Currency], default=self.hamyon.config.default_currency.value)


class BillingHandler(ConsoleHandler):
    async def get(self) -> None:
        self.page("billing.html", rules=await self.hamyon.admin.rules(),
                  settings=await self.hamyon.admin.settings(), settings_fields=SETTINGS_FIELDS,
                  rule_fields=RULE_FIELDS, shown=shown,
                  currencies=[c.value for c in Currency])


class GatewaysHandler(ConsoleHandler):
    async def get(self) -> None:
        self.page("gateways.html", gateways=await self.hamyon.admin.gateways(), fields=GATEWAY_FIELDS,
                  shown=shown)


class WebhooksPage(ListingHandler):
    """The endpoints, the new-endpoint form (``created``: the endpoint just made, its secret
    shown this once; ``wanted``: a refused form's values, shown again) and the events."""

    async def show(self, *, created: WebhookEndpoint | None = None,
                   wanted: Mapping[str, object] | None = None, **values: str) -> None:
        events = await self.hamyon.webhooks.events(self.page_request(), type=self.query("type") or None)
        self.page("webhooks.html", endpoints=await self.hamyon.webhooks.all(), events=events,
                  created=created, wanted=wanted or {}, event_types=(ALL, *EVENT_TYPES), **values)


class WebhooksHandler(WebhooksPage):
    async def get(self) -> None:
        await self.show()


class WebhookPage(ListingHandler):
    """One endpoint: its deliveries, its on/off switch and its deletion."""

    async def show(self, raw_id: str, **values: str) -> None:
        endpoint_id = endpoint_id_of(raw_id)
        self.page("webhook.html", endpoint=await self.hamyon.webhooks.get(endpoint_id),
                  deliveries=await self.hamyon.webhooks.deliveries(endpoint_id, self.page_request()),
                  **values)


class WebhookHandler(WebhookPage):
    async def get(self, raw_id: str) -> None:
        await self.show(raw_id)


class DoctorsPage(ListingHandler):
    """The doctor table, a form to add one (``wanted``: a refused form's values) and, per
    doctor, its edit form and its removal."""

    async def show(self, *, wanted: Mapping[str, str] | None = None, **values: str) -> None:
        self.page("doctors.html", found=await self.hamyon.doctors.list(self.page_request()),
                  wanted=wanted or {}, fields=DOCTOR_FIELDS, shown=shown, **values)


class DoctorsHandler(DoctorsPage):
    async def get(self) -> None:
        await self.show()


class ApiKeysHandler(ConsoleHandler):
    async def get(self) -> None:
        self.page("api_keys.html", keys=await self.hamyon.api_keys.list(), created=None, scopes=SCOPES)
