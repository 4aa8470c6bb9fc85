"""Which webhook URLs Hamyon posts to (SPEC §12): production takes https to public addresses
only, unless HAMYON_WEBHOOK_ALLOW_PRIVATE=1; the resolved address is what is checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.webhooks.urls import ResolvingUrlPolicy
from domain.errors import ValidationError
from entrypoints.runtime import webhook_url_policy
from entrypoints.settings import load_settings

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
