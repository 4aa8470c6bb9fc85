"""The verifier remembers tokens it accepted, and still refuses them once they expire."""

from __future__ import annotations

import time

import pytest

from entrypoints.http.auth import REMEMBER_SECONDS, TokenIssuer, TokenVerifier
from entrypoints.http.errors import HttpError

SECRET = "secret-for-the-token-memory-test-0123456789"


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def refusal(verifier: TokenVerifier, token: str) -> str:
    with pytest.raises(HttpError) as refused:
        verifier.principal(f"Bearer {token}")
    assert refused.value.status == 401
    return str(refused.value.message)


def test_a_remembered_token_is_refused_once_it_expires() -> None:
    clock = Clock()
    verifier = TokenVerifier(secret=SECRET, leeway_seconds=30, clock=clock)
    token = TokenIssuer(SECRET).issue("42", ttl_seconds=20)
    assert verifier.principal(f"Bearer {token}").user_id == "42"
    clock.now += 20 + 29
    assert verifier.principal(f"Bearer {token}").user_id == "42"  # within the leeway
    clock.now += 1
    assert refusal(verifier, token) == "Token has expired"
    assert refusal(verifier, token) == "Token has expired"


def test_a_long_lived_token_is_checked_again_after_a_minute() -> None:
    clock = Clock()
    verifier = TokenVerifier(secret=SECRET, clock=clock)
    token = TokenIssuer(SECRET).issue("7", admin=True, ttl_seconds=3600)
    first = verifier.principal(f"Bearer {token}")
    clock.now += REMEMBER_SECONDS + 1
    assert verifier.principal(f"Bearer {token}") == first and first.is_admin
    clock.now += 3600
    assert refusal(verifier, token) == "Token has expired"


def test_remembering_one_token_accepts_no_other() -> None:
    verifier = TokenVerifier(secret=SECRET)
    token = TokenIssuer(SECRET).issue("42")
    assert verifier.principal(f"Bearer {token}").user_id == "42"
    assert refusal(verifier, token[:-4] + "AAAA") == "Invalid token"
    assert refusal(verifier, TokenIssuer("another-secret-0123456789-abcdef").issue("42")) == "Invalid token"
    assert verifier.principal(f"bearer  {token} ").user_id == "42"
