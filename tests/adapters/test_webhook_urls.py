"""Which webhook URLs Hamyon posts to (SPEC §12): production takes https to public addresses
only, unless HAMYON_WEBHOOK_ALLOW_PRIVATE=1; the resolved address is what is checked."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from adapters.webhooks.sender import TornadoSender
from adapters.webhooks.urls import ResolvingUrlPolicy
from domain.errors import ValidationError
from entrypoints.runtime import webhook_url_policy
from entrypoints.settings import load_settings
from tests.webhooks.receiver import receiving

PRODUCTION = ResolvingUrlPolicy(https_only=True, allow_private=False)
PRODUCTION_ENV = {"HAMYON_ENV": "production", "HAMYON_SANDBOX": "0",
                  "HAMYON_SECRET_KEY": "s3cr3t-K3y-for-prod-abcdefghijklmnop",
                  "HAMYON_JWT_SECRET": "jwt-S1gning-k3y-for-prod-qrstuvwxyz01"}


async def refused(policy: ResolvingUrlPolicy, url: str) -> str:
    with pytest.raises(ValidationError) as refusal:
        await policy.check(url, "url")
    assert refusal.value.field == "url"
    return refusal.value.message


@pytest.mark.parametrize("url", [
    "https://127.0.0.1/hooks", "https://localhost/hooks", "https://10.1.2.3/", "https://192.168.0.7/",
    "https://172.16.0.1/", "https://169.254.169.254/latest/meta-data/", "https://[::1]/", "https://[fe80::1]/",
    "https://0.0.0.0/", "https://100.64.0.1/"])
async def test_production_refuses_loopback_private_and_link_local_targets(url):
    assert "private or loopback" in await refused(PRODUCTION, url)


@pytest.mark.parametrize("url", ["http://93.184.216.34/hooks", "ftp://93.184.216.34/", "javascript:alert(1)",
                                 "https://", "https://93.184.216.34:99999/", "not a url"])
async def test_production_refuses_plain_http_and_what_is_not_a_web_url(url):
    await refused(PRODUCTION, url)


async def test_production_takes_https_to_a_public_address():
    await PRODUCTION.check("https://93.184.216.34/hooks?x=1", "url")


async def test_private_targets_are_allowed_when_asked_and_in_development():
    await ResolvingUrlPolicy(https_only=True, allow_private=True).check("https://10.0.0.5/hooks")
    development = webhook_url_policy(load_settings({}, dotenv=Path("/nonexistent")))
    await development.check("http://127.0.0.1:9000/hooks")


async def test_the_production_settings_build_the_strict_policy_unless_private_is_allowed():
    strict = webhook_url_policy(load_settings(PRODUCTION_ENV, dotenv=Path("/nonexistent")))
    await refused(strict, "https://127.0.0.1/hooks")
    loose = webhook_url_policy(load_settings({**PRODUCTION_ENV, "HAMYON_WEBHOOK_ALLOW_PRIVATE": "1"},
                                             dotenv=Path("/nonexistent")))
    await loose.check("https://127.0.0.1/hooks")
    await refused(loose, "http://127.0.0.1/hooks")  # https only in production all the same


class Rebinding:
    """A name server for ``hooks.example`` that answers each lookup in turn from ``answers`` (the
    last one again once they run out): a rebinding attacker answers a public address to the
    check and a loopback one a moment later."""

    def __init__(self, *answers: str) -> None:
        self.answers, self.lookups = list(answers), 0

    async def __call__(self, host: str, port: int) -> list:
        assert host == "hooks.example"
        address = self.answers[min(self.lookups, len(self.answers) - 1)]
        self.lookups += 1
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]


async def test_a_delivery_connects_to_the_address_its_policy_resolved_and_checked():
    lookup = Rebinding("127.0.0.1")
    async with receiving() as receiver:
        sender = TornadoSender(ResolvingUrlPolicy(https_only=False, allow_private=True, lookup=lookup),
                               timeout=2)
        try:
            status, _, error = await sender.send(f"http://hooks.example:{receiver.port}/hooks", b"{}", {})
        finally:
            sender.close()
    # The system's resolver does not know hooks.example: only the policy's answer was connected to.
    assert (status, error) == (200, "")
    assert [each.path for each in receiver.received] == ["/hooks"]
    assert lookup.lookups == 1


async def test_a_name_that_answers_loopback_at_delivery_is_refused_though_it_passed_registration():
    async with receiving() as receiver:
        url = f"http://hooks.example:{receiver.port}/hooks"
        lookup = Rebinding("93.184.216.34", "127.0.0.1")
        policy = ResolvingUrlPolicy(https_only=False, allow_private=False, lookup=lookup)
        await policy.check(url)  # registration: the name answered a public address
        sender = TornadoSender(policy, timeout=2)
        try:
            status, _, error = await sender.send(url, b"{}", {})  # the name now answers loopback
        finally:
            sender.close()
    assert status is None and "private or loopback address (127.0.0.1)" in error
    assert receiver.received == []


async def test_a_name_that_does_not_resolve_fails_the_delivery_with_a_reason():
    async def nothing(host: str, port: int) -> list:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    sender = TornadoSender(ResolvingUrlPolicy(https_only=False, allow_private=False, lookup=nothing),
                           timeout=2)
    try:
        status, _, error = await sender.send("http://nowhere.example/hooks", b"{}", {})
    finally:
        sender.close()
    assert status is None and "does not resolve" in error
