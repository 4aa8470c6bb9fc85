"""The gateways' statuses (the public status endpoint, the console's dashboard): every active
gateway is probed at once, so one slow gateway costs its own timeout, not the sum of all."""

from __future__ import annotations

import asyncio

from domain.gateways import Probe
from entrypoints.bootstrap import bootstrap
from tests.fakes import CardGateway


class WaitingGateway(CardGateway):
    """Its probe answers only once the other gateway's probe has started."""

    def __init__(self, name: str, started: asyncio.Event, other: asyncio.Event) -> None:
        super().__init__(name)
        self._started, self._other = started, other

    async def probe(self) -> Probe:
        self._started.set()
        await self._other.wait()
        return Probe(True, "Service available", 0.5)


async def test_all_active_gateways_are_probed_at_once(io_loop):
    click_started, payme_started = asyncio.Event(), asyncio.Event()
    hamyon = await bootstrap(gateways=[WaitingGateway("click", click_started, payme_started),
                                       WaitingGateway("payme", payme_started, click_started)],
                             active_gateways={"click", "payme"})
    try:
        # One after another, click's probe would wait for payme's forever.
        statuses = await asyncio.wait_for(hamyon.gateways.statuses(), timeout=10)
    finally:
        await hamyon.close()
    assert sorted((config.name, probe.available) for config, probe in statuses) == [
        ("click", True), ("payme", True)]
