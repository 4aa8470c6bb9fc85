"""Ids: an event's id is a UUIDv7, so ids made later sort later (their index grows at its end)."""

from __future__ import annotations

import time
import uuid

from adapters.ids import RandomIds


def test_ordered_ids_are_version_7_unique_and_sort_by_time():
    ids = RandomIds()
    earlier = [ids.ordered_id() for _ in range(200)]
    time.sleep(0.002)
    later = ids.ordered_id()
    assert {found.version for found in earlier} == {7}
    assert {found.variant for found in earlier} == {uuid.RFC_4122}
    assert len(set(earlier)) == 200
    assert all(found < later for found in earlier)
    assert abs((later.int >> 80) - time.time_ns() // 1_000_000) < 1000  # its Unix milliseconds
