"""SPEC §17: credentials that appear after the first start switch their gateway on at the next
start, unless an admin switched it off; an admin cannot switch on a gateway without credentials."""

from __future__ import annotations

import pytest

from domain.errors import GatewayInactive, GatewayNotConfigured
from entrypoints.bootstrap import bootstrap
from tests.fakes import CardGateway


async def start(url: str, configured: set[str]):
    return await bootstrap(url, gateways=[CardGateway(name) for name in sorted(configured)],
                           active_gateways=configured, retry=None)


async def active(hamyon) -> dict[str, bool]:
    return {config.name: config.is_active for config in await hamyon.admin.gateways()}


async def test_credentials_set_after_the_first_start_switch_the_gateway_on_unless_an_admin_said_off(tmp_path):
    url = f"sqlite:///{tmp_path}/hamyon.db"
    first = await start(url, set())
    before = await active(first)
    await first.close()
    second = await start(url, {"click", "payme"})
    after = await active(second)
    await second.admin.update_gateway("payme", {"is_active": False}, actor="admin")
    await second.close()
    third = await start(url, {"click", "payme"})
    later = await active(third)
    await third.close()
    assert (before["click"], before["payme"]) == (False, False)
    assert (after["click"], after["payme"]) == (True, True)
    assert (later["click"], later["payme"]) == (True, False)  # the admin's word stands


async def test_an_admin_cannot_switch_on_a_gateway_without_credentials(tmp_path):
    hamyon = await start("memory://", {"click"})
    try:
        with pytest.raises(GatewayNotConfigured):
            await hamyon.admin.update_gateway("payme", {"is_active": True}, actor="admin")
        await hamyon.admin.update_gateway("click", {"is_active": False}, actor="admin")
        await hamyon.admin.update_gateway("click", {"is_active": True}, actor="admin")
        with pytest.raises(GatewayInactive) as refused:
            await hamyon.payments.estimate("u1", "payme", "20000")
        shown = (refused.value.code, refused.value.message)
        assert shown == ("gateway_inactive", "Payment gateway not found")
        assert (await active(hamyon))["click"] is True
    finally:
        await hamyon.close()
