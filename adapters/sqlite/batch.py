"""Group commit: writing units of this process that follow one another share one transaction.

A writing unit that commits while others wait for the writing turn does not ``COMMIT``: it releases
its savepoint (if it took one), hands the turn to the next unit (which goes on in the same
transaction) and waits for its batch. The unit that finds nobody waiting, or the batch full
(``MAX_UNITS`` units or ``MAX_SECONDS`` old), commits the whole batch once: one disk flush for all
of them. So:

- a unit's ``commit()`` returns only once its batch's ``COMMIT`` succeeded (acknowledged = on disk);
  when that ``COMMIT`` fails, every unit of the batch gets ``TransientStorageError`` and none of it
  is kept (a retry is safe: nothing was written);
- a unit that rolls back drops its own writes only: the writes it makes before committing go in a
  savepoint, taken before the first of them (the batch's first unit needs none: rolling it back is
  rolling the transaction back). The writes it holds until it commits (``adapters.sqlite.session``)
  need none: a unit that fails before committing never made them, and if they fail as it commits,
  the whole batch fails and keeps nothing (its units retry);
- a unit sees the writes of the earlier units of its batch (they are committed with it or not at
  all, so it never acts on something that is later lost without failing itself);
- readers (other connections) see a batch only once it is committed (WAL).
"""

from __future__ import annotations

import asyncio

from ports.storage import TransientStorageError

MAX_UNITS = 64  # a longer batch makes its first units wait too long for their acknowledgement
MAX_SECONDS = 0.005


class Batch:
    """The open transaction: how many units ran in it and the acknowledgements still owed."""

    def __init__(self, opened_at: float) -> None:
        self.opened_at = opened_at
        self.units = 0
        self.in_savepoint = False  # the unit now running has a savepoint (``will_write``)
        self.unit_wrote = False  # the unit now running has written something
        self._owed: list[asyncio.Future[None]] = []

    def full(self, now: float) -> bool:
        return self.units >= MAX_UNITS or now - self.opened_at >= MAX_SECONDS

    @property
    def keeps_something(self) -> bool:
        """True if units of this batch committed: its transaction must be committed, not dropped."""
        return bool(self._owed)

    def acknowledgement(self) -> asyncio.Future[None]:
        """What a unit that committed into this batch waits for."""
        owed = asyncio.get_running_loop().create_future()
        self._owed.append(owed)
        return owed

    def committed(self) -> None:
        for owed in self._owed:
            if not owed.done():
                owed.set_result(None)

    def failed(self, reason: str) -> None:
        for owed in self._owed:
            if not owed.done():
                owed.set_exception(TransientStorageError(
                    f"the batch this unit committed in was not committed ({reason}); nothing was kept"))
