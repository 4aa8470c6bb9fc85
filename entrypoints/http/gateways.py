"""Every gateway the service speaks, one line each: its package (``adapters.gateways.<name>``: its
adapters, wire format, inbound protocol, rows and jobs) with the HTTP routes of its own endpoints
(``entrypoints.http.handlers.<name>``: an adapter cannot import the HTTP edge).

The composition root reads nothing else about gateways: ``entrypoints.runtime`` builds the adapters
and inbound protocols, ``table`` serves the routes, ``entrypoints.jobs`` schedules the jobs, and
``gateway_rows`` are the rows a first start seeds (``entrypoints.bootstrap`` passes them to
``hamyon.admin.seed_defaults``). This module sits in ``entrypoints.http``
because it names handlers: whoever imports it first, the package's ``__init__`` builds the route
table, which reads this list, before anything else does; outside the package it would be a cycle.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from attrs import frozen

from adapters.gateways.click import CLICK
from adapters.gateways.medogram import MEDOGRAM
from adapters.gateways.package import GatewayPackage
from adapters.gateways.payme import PAYME
from adapters.gateways.sandbox import SANDBOX
from domain.payments import GatewayConfig
from entrypoints.http.handlers import click, crazyminer, payme, sandbox
from entrypoints.http.routes import Route


@frozen
class Gateway:
    """A gateway package and the routes of its own HTTP endpoints (none for a gateway that only
    needs the generic payment endpoints)."""

    package: GatewayPackage[Any]
    routes: tuple[Route, ...] = ()


GATEWAYS: tuple[Gateway, ...] = (
    Gateway(CLICK, click.ROUTES),  # with its card rails UzCard and Humo
    Gateway(PAYME, payme.ROUTES),
    Gateway(MEDOGRAM, crazyminer.ROUTES),  # the CrazyMiner seed's endpoints
    Gateway(SANDBOX, sandbox.ROUTES),
)


def gateway_routes(gateways: tuple[Gateway, ...] = GATEWAYS) -> tuple[Route, ...]:
    """The gateways' own endpoints, in the order of the list."""
    return tuple(route for gateway in gateways for route in gateway.routes)


def gateway_rows(active: Collection[str], gateways: tuple[Gateway, ...] = GATEWAYS) -> list[GatewayConfig]:
    """Every gateway row a first start seeds; those named in ``active`` start active."""
    return [row for gateway in gateways for row in gateway.package.rows(active)]
