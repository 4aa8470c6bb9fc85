"""The admin's work (SPEC §6): gateway rows, billing rules and settings, payment search, logs,
and the ledger check. Every write is recorded in the audit log with its actor."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any
from uuid import UUID

import attrs

from application.dependencies import UseCases, ensure_creatable
from domain.billing import BillingRule, BillingSettings, default_rules
from domain.errors import (
    GatewayNotConfigured,
    GatewayNotFound,
    PaymentNotFound,
    RuleNotFound,
    ValidationError,
)
from domain.fiscal import check_mxik, check_package_code, check_tin, check_title, check_vat_percent
from domain.holds import moved_as_its_state_says, verify_holds
from domain.ledger import VerifyReport, Violation, verify
from domain.money import Currency, Money, parse_amount, parse_non_negative_amount, parse_percentage
from domain.paging import Page, PageRequest
from domain.payment_search import PaymentSearch, created_between, payment_key
from domain.payments import CommissionType, GatewayConfig, Payment, PaymentLog, PaymentStatus
from ports.storage import UnitOfWork

SERVICE_TYPE_MAX = 64


def _flag(raw: object, name: str) -> bool:
    if not isinstance(raw, bool):
        raise ValidationError(f"{name} must be true or false", field=name)
    return raw


def _count(raw: object, name: str, *, optional: bool = False) -> int | None:
    if raw is None and optional:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= 1_000_000:
        raise ValidationError(f"{name} must be a whole number from 0 to 1000000", field=name)
    return raw


def _money(raw: object, currency: Currency, name: str, *, optional: bool = False) -> Money | None:
    if raw is None and optional:
        return None
    return parse_amount(raw, currency, field=name)


def _enum_value(enum: type[CommissionType] | type[PaymentStatus], raw: object, name: str) -> object:
    try:
        return enum(raw)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise ValidationError(f"{name} must be one of {allowed}", field=name) from None


class AdminUseCases(UseCases):
    async def seed_defaults(self, gateway_rows: Iterable[GatewayConfig] = ()) -> None:
        """Create the gateway rows (the composition root passes each gateway package's, active when
        configured) and the billing rules that do not exist yet (first start). An existing row is
        left as the admin set it, but for one thing: a gateway whose credentials appeared since is
        switched on, unless an admin switched it off (SPEC §17)."""
        rows = list(gateway_rows)

        async def body(uow: UnitOfWork) -> None:
            for config in rows:
                stored = await uow.gateways.get(config.name)
                if stored is None:
                    await uow.gateways.save(config)
                elif config.is_active and not stored.is_active and not stored.switched_off:
                    await uow.gateways.save(attrs.evolve(stored, is_active=True))  # credentials came
                    await self._audit(uow, "system", "activate_gateway", f"gateway:{config.name}",
                                      "its credentials are set")
            for rule in default_rules():
                if await uow.billing.rule(rule.service_type) is None:
                    await uow.billing.save_rule(rule)

        await self._write_catalog(body)

    async def gateways(self) -> list[GatewayConfig]:
        return await self._units.read(lambda uow: uow.gateways.all())

    async def update_gateway(self, name: str, changes: Mapping[str, object], *,
                             actor: str) -> GatewayConfig:
        """Change a gateway row's flags, limits and commission (credentials are not here)."""
        async def body(uow: UnitOfWork) -> GatewayConfig:
            config = await uow.gateways.get(name)
            if config is None:
                raise GatewayNotFound()
            updated = attrs.evolve(config, **_gateway_changes(config, changes))
            _ensure_at_most(updated.min_amount, updated.max_amount, ("min_amount", "max_amount"),
                            changes)
            if "is_active" in changes:
                if updated.is_active and self._deps.gateways.get(name) is None:
                    raise GatewayNotConfigured(gateway=name)
                updated = attrs.evolve(updated, switched_off=not updated.is_active)
            await uow.gateways.save(updated)
            await self._audit(uow, actor, "update_gateway", f"gateway:{name}", repr(dict(changes)))
            return updated

        return await self._units.write(body)

    async def settings(self) -> BillingSettings:
        return await self._units.read(self._settings)

    async def update_settings(self, changes: Mapping[str, object], *, actor: str) -> BillingSettings:
        async def body(uow: UnitOfWork) -> BillingSettings:
            current = await self._settings(uow)
            updated = attrs.evolve(current, **_settings_changes(current, changes))
            _ensure_at_most(updated.min_wallet_topup, updated.max_wallet_balance,
                            ("min_wallet_topup", "max_wallet_balance"), changes)
            await uow.billing.save_settings(updated)
            await self._audit(uow, actor, "update_settings", "billing_settings", repr(dict(changes)))
            return updated

        return await self._write_catalog(body)

    async def rules(self) -> list[BillingRule]:
        return await self._units.read(lambda uow: uow.billing.rules())

    async def save_rule(self, service_type: str, changes: Mapping[str, object], *, actor: str,
                        create: bool) -> BillingRule:
        """Create a rule (``create``) or change an existing one."""
        if not service_type or len(service_type) > SERVICE_TYPE_MAX or \
                not service_type.replace("_", "").isalnum():
            raise ValidationError("service_type must be letters, digits and _", field="service_type")

        async def body(uow: UnitOfWork) -> BillingRule:
            existing = await uow.billing.rule(service_type)
            ensure_creatable(existing, create=create, missing=RuleNotFound,
                             taken="A rule for this service_type exists", field="service_type")
            base = existing or BillingRule(service_type, parse_amount(
                changes.get("price"), Currency.parse(changes.get("currency") or
                                                     self.config.default_currency.value),
                field="price"))
            rule = attrs.evolve(base, **_rule_changes(base, changes))
            await uow.billing.save_rule(rule)
            await self._audit(uow, actor, "save_rule", f"rule:{service_type}", repr(dict(changes)))
            return rule

        return await self._write_catalog(body)

    async def delete_rule(self, service_type: str, *, actor: str) -> None:
        async def body(uow: UnitOfWork) -> None:
            if not await uow.billing.delete_rule(service_type):
                raise RuleNotFound()
            await self._audit(uow, actor, "delete_rule", f"rule:{service_type}", "")

        await self._write_catalog(body)

    async def search_payments(self, page: PageRequest, *, status: object = None,
                              gateway: object = None, user_id: object = None,
                              created_from: object = None, created_to: object = None,
                              q: object = None) -> Page[Payment]:
        """Every user's payments, newest first, that match each filter given: ``status``,
        ``gateway``, ``user_id``; created from ``created_from`` to ``created_to`` (the platform's
        days or ISO 8601 moments, both inclusive); ``q``, one payment's id or reference number
        (any case). A bad filter is refused naming it; a start after the end names ``created_from``."""
        state = _enum_value(PaymentStatus, status, "status") if status else None
        assert state is None or isinstance(state, PaymentStatus)
        period = created_between(created_from, created_to, self.config.zone)
        key = payment_key(q)
        search = PaymentSearch(
            status=state, gateway=str(gateway) if gateway else None,
            user_id=str(user_id) if user_id else None, created_from=period.start,
            created_before=period.end, payment_id=key if isinstance(key, UUID) else None,
            reference=key if isinstance(key, str) else None)
        # Expiry is enforced on every read (SPEC §3): written down first, so that the statuses
        # shown, and the status filter, are what they are now, not what the sweep last left.
        await self._expire_due_payments()
        return await self._units.read(lambda uow: uow.reports.search_payments(search, page))

    async def payment(self, payment_id: UUID) -> Payment:
        """One payment, whoever's; past its time, its expiry is written down first (SPEC §3), so
        the admin, the payer's way back to the platform and the sandbox page all say expired."""
        found = await self._units.read(lambda uow: uow.payments.get(payment_id))
        if found is None:
            raise PaymentNotFound()
        if found.expire_if_due(self._now()):
            async def body(uow: UnitOfWork) -> Payment:
                payment = await self._locked_payment(uow, payment_id)
                await self._write_down_expiry(uow, payment)
                return payment

            found = await self._units.write(body)
        return found

    async def payment_logs(self, payment_id: UUID) -> list[PaymentLog]:
        await self.payment(payment_id)
        return await self._units.read(lambda uow: uow.reports.payment_logs(payment_id))

    async def verify_ledger(self) -> VerifyReport:
        """Recompute every balance from the entries: each currency sums to zero, each wallet's
        stored balance equals its entries, no wallet is negative, every transfer is balanced,
        each holds account equals its active holds, every hold moved as its state says and each
        wallet's money in and out is what its lines add up to."""
        async def body(uow: UnitOfWork) -> VerifyReport:
            reports = uow.reports
            report = verify(await reports.entry_sums(), await reports.wallet_balances(),
                            await reports.transfer_count())
            extra = verify_holds(await reports.entry_sums(), await reports.active_holds())
            broken = await reports.unbalanced_transfers()
            if broken:
                extra.append(Violation("transfer_unbalanced", "transfers", f"{broken} transfers"))
            drifted = [account for account, kept, counted in await reports.wallet_flows_recounted()
                       if kept != counted]
            if drifted:
                extra.append(Violation("wallet_flows_mismatch", ", ".join(a.code for a in drifted[:5]),
                                       f"{len(drifted)} wallets whose money in and out (kept on the "
                                       "wallet) is not what their lines add up to"))
            mismatched = sum(1 for hold, moved in await reports.hold_moves()
                             if not moved_as_its_state_says(hold, moved))
            if mismatched:
                extra.append(Violation("hold_transfers_mismatch", "holds", f"{mismatched} holds whose "
                                       "transfers are not what their state names"))
            return attrs.evolve(report, violations=(*report.violations, *extra)) if extra else report

        return await self._units.read(body)


def _gateway_changes(config: GatewayConfig, changes: Mapping[str, object]) -> dict[str, Any]:
    currency = config.default_currency
    parsers = {
        "display_name": lambda raw: _text(raw, "display_name"),
        "is_active": lambda raw: _flag(raw, "is_active"),
        "min_amount": lambda raw: _money(raw, currency, "min_amount"),
        "max_amount": lambda raw: _money(raw, currency, "max_amount"),
        "commission_type": lambda raw: _enum_value(CommissionType, raw, "commission_type"),
        "commission_percentage": lambda raw: parse_percentage(raw, field="commission_percentage"),
        "commission_fixed": lambda raw: parse_non_negative_amount(raw, currency,
                                                                  field="commission_fixed"),
    }
    return _apply(parsers, changes)


def _settings_changes(current: BillingSettings, changes: Mapping[str, object]) -> dict[str, Any]:
    currency = current.currency
    parsers = {
        "enable_billing": lambda raw: _flag(raw, "enable_billing"),
        "maintenance_mode": lambda raw: _flag(raw, "maintenance_mode"),
        "free_views_per_day": lambda raw: _count(raw, "free_views_per_day"),
        "free_views_for_new_users": lambda raw: _count(raw, "free_views_for_new_users"),
        "new_user_days": lambda raw: _count(raw, "new_user_days"),
        "min_wallet_topup": lambda raw: _money(raw, currency, "min_wallet_topup"),
        "max_wallet_balance": lambda raw: _money(raw, currency, "max_wallet_balance"),
        "max_debits_per_hour": lambda raw: _count(raw, "max_debits_per_hour", optional=True),
        "daily_spending_limit": lambda raw: _money(raw, currency, "daily_spending_limit",
                                                   optional=True),
        "low_balance_threshold": lambda raw: _money(raw, currency, "low_balance_threshold",
                                                    optional=True),
        **_code_parsers("topup_"),
        "topup_receipt_title": lambda raw: check_title(raw, "topup_receipt_title"),
        "fiscal_tin": lambda raw: check_tin(raw, "fiscal_tin"),
    }
    return _apply(parsers, changes)


def _code_parsers(prefix: str = "") -> dict[str, Callable[[object], object]]:
    """A receipt line's codes (SPEC §14), checked as the fiscal rules say."""
    return {f"{prefix}mxik_code": lambda raw: check_mxik(raw, f"{prefix}mxik_code"),
            f"{prefix}package_code": lambda raw: check_package_code(raw, f"{prefix}package_code"),
            f"{prefix}vat_percent": lambda raw: check_vat_percent(raw, f"{prefix}vat_percent")}


def _rule_changes(rule: BillingRule, changes: Mapping[str, object]) -> dict[str, Any]:
    currency = rule.price.currency
    parsers = {
        "price": lambda raw: parse_amount(raw, currency, field="price"),
        "discount_percentage": lambda raw: parse_percentage(raw, field="discount_percentage"),
        "min_quantity_for_discount": lambda raw: _count(raw, "min_quantity_for_discount"),
        "is_active": lambda raw: _flag(raw, "is_active"),
        "service_names": lambda raw: _names(raw),
        **_code_parsers(),
    }
    result = _apply(parsers, changes)
    if isinstance(changes.get("service_name"), str):
        result["service_names"] = {**rule.service_names, "uz": _text(changes["service_name"],
                                                                     "service_name")}
    return result


def _ensure_at_most(low: Money | None, high: Money | None, names: tuple[str, str],
                    changes: Mapping[str, object]) -> None:
    """A lower bound must not pass its upper bound; the refusal names the bound this request
    changed (the lower one when it changed both). A request changing neither is not refused, so
    an older bad pair never blocks, say, switching maintenance mode on."""
    low_name, high_name = names
    if low is None or high is None or low <= high or not {low_name, high_name} & changes.keys():
        return
    named = high_name if high_name in changes and low_name not in changes else low_name
    raise ValidationError(f"{low_name} must not exceed {high_name}", field=named)


def _apply(parsers: Mapping[str, object], changes: Mapping[str, object]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, raw in changes.items():
        parser = parsers.get(name)
        if callable(parser):
            result[name] = parser(raw)
    return result


def _text(raw: object, name: str, limit: int = 255) -> str:
    if not isinstance(raw, str) or not raw.strip() or len(raw) > limit:
        raise ValidationError(f"{name} must be a non-empty string of at most {limit} characters",
                              field=name)
    return raw.strip()


def _names(raw: object) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(isinstance(k, str) and len(k) <= 8 for k in raw):
        raise ValidationError("service_names must map language codes to names", field="service_names")
    return {str(k): _text(v, f"service_names.{k}") for k, v in raw.items()}

