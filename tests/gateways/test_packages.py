"""The gateway list the composition root reads: one package per gateway, each naming its rows, its
adapters, its inbound protocol, its jobs and its HTTP routes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from entrypoints.bootstrap import bootstrap
from entrypoints.http.gateways import GATEWAYS, gateway_routes, gateway_rows
from entrypoints.http.table import ROUTES
from entrypoints.jobs import gateway_jobs
from entrypoints.runtime import gateway_adapters, inbound_protocols
from entrypoints.settings import load_settings
from tests.gateways.click.conftest import ENV as CLICK_ENV

EVERY_GATEWAY = {**CLICK_ENV, "HAMYON_PAYME_MERCHANT_ID": "payme-merchant", "HAMYON_PAYME_KEY": "k",
                 "PAYMENT_GATEWAY_URL": "https://medogram.example", "PAYMENT_API_KEY": "m",
                 "HAMYON_DATABASE_URL": "memory://"}
NO_DOTENV = Path("/nonexistent/.env")


def test_each_gateway_name_belongs_to_one_package_and_each_package_answers_for_its_own_name():
    names = [name for gateway in GATEWAYS for name in gateway.package.names]
    assert sorted(names) == sorted(set(names)) == ["click", "humo", "medogram", "payme", "sandbox", "uzcard"]
    assert all(gateway.package.name in gateway.package.names for gateway in GATEWAYS)


# SPEC §3: name, currency, minimum, maximum, commission percentage
SEEDED = {"click": ("UZS", 1_000, 10_000_000, "2.5"), "payme": ("UZS", 1_000, 10_000_000, "2.5"),
          "uzcard": ("UZS", 1_000, 10_000_000, "2.5"), "humo": ("UZS", 1_000, 10_000_000, "2.5"),
          "medogram": ("IRR", 10_000, 1_000_000_000, "0"), "sandbox": ("UZS", 1_000, 10_000_000, "0")}


def test_the_packages_seed_the_rows_of_spec_3_and_only_configured_gateways_start_active():
    active = frozenset({"click", "uzcard", "humo", "sandbox"})
    rows = {row.name: row for row in gateway_rows(active)}
    assert set(rows) == set(SEEDED)
    for name, (currency, low, high, percentage) in SEEDED.items():
        row = rows[name]
        assert (row.min_amount.currency.value, row.min_amount.amount, row.max_amount.amount) == \
            (currency, Decimal(low), Decimal(high))
        assert row.commission_type.value == "percentage"
        assert row.commission_percentage == Decimal(percentage)
        assert row.is_active is (name in active)
    assert not any(row.is_active for row in gateway_rows(frozenset()))


async def test_configured_packages_build_an_adapter_for_every_row_and_a_protocol_by_their_name():
    settings = load_settings(EVERY_GATEWAY, dotenv=NO_DOTENV)
    adapters = {adapter.name for adapter in gateway_adapters(settings)}
    hamyon = await bootstrap("memory://")
    protocols = inbound_protocols(settings, hamyon)
    await hamyon.close()
    assert adapters == {name for gateway in GATEWAYS for name in gateway.package.names}
    assert set(protocols) == {gateway.package.name for gateway in GATEWAYS}
    assert all(protocol.name == name for name, protocol in protocols.items())


def test_a_package_without_credentials_builds_nothing_and_runs_no_job():
    bare = load_settings({"HAMYON_DATABASE_URL": "memory://", "HAMYON_SANDBOX": "0"}, dotenv=NO_DOTENV)
    assert gateway_adapters(bare) == [] and inbound_protocols(bare, hamyon=None) == {}  # type: ignore[arg-type]
    assert gateway_jobs({}) == []


def test_the_route_table_serves_each_gateways_routes_once():
    served = [route for route in ROUTES if route in gateway_routes()]
    assert served == list(gateway_routes()) and len(served) == sum(len(g.routes) for g in GATEWAYS)
