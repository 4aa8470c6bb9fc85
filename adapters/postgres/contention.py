"""Wallets that units of this process just fought over.

A unit its caller retries (``UnitOfWorkFactory``) watches the wallets it locks and checks them at
commit (``adapters.postgres.session``): cheaper, while units seldom want one wallet at once. When
they do, a watcher loses and its caller runs it again; from then on, for ``HOT_SECONDS``, a unit
that would watch that wallet locks it instead, so that its retry and the units after it take turns
rather than losing again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

WalletKey = tuple[str, str]  # user id, currency code
HOT_SECONDS = 1.0
MOST_KEPT = 4096  # the oldest marks go first past this many


class Contention:
    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._hot: dict[WalletKey, float] = {}  # wallet → until when it is locked, not watched

    def lost(self, wallets: Iterable[WalletKey]) -> None:
        """A watcher of ``wallets`` found one of them changed: lock them for a while."""
        until = self._monotonic() + HOT_SECONDS
        for key in wallets:
            self._hot.pop(key, None)
            self._hot[key] = until
        while len(self._hot) > MOST_KEPT:
            del self._hot[next(iter(self._hot))]

    def is_hot(self, key: WalletKey) -> bool:
        until = self._hot.get(key)
        if until is None:
            return False
        if until > self._monotonic():
            return True
        del self._hot[key]
        return False
