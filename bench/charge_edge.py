"""Micro-benchmark of the HTTP edge's own work on the charge path, without a server or storage:
parse the body, structure it into ``ChargeRequest`` (its rules checked), build the use case's
request, build the ``ChargeResult`` answer and write it as JSON.

    python bench/charge_edge.py [--loops 20000] [--repeat 7]

Prints the best of ``--repeat`` runs, in microseconds per charge.
"""

from __future__ import annotations

import argparse
import timeit
from uuid import UUID

from application.billing import ChargeResult
from domain.money import Currency, Money
from entrypoints.http import render
from entrypoints.http.converter import RequestShapes, dumps
from entrypoints.http.handlers.billing import charge_request
from entrypoints.http.jsonio import parse_json_object
from entrypoints.http.openapi import REQUESTS

BODY = b'{"service_type": "consultation", "quantity": 1, "related_object_id": 123}'
RESULT = ChargeResult("consultation", 1, True, "Konsultatsiya (ID: 123)",
                      Money(4_950_000, Currency.UZS), Money(5_000_000, Currency.UZS), UUID(int=7))
SHAPES = RequestShapes(REQUESTS)


def edge() -> str:
    payload = parse_json_object(BODY)
    charge_request("alice", SHAPES.structure(payload, "ChargeRequest"), "uz")
    return dumps(render.charge(RESULT, "uz"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loops", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=7)
    options = parser.parse_args()
    best = min(timeit.repeat(edge, number=options.loops, repeat=options.repeat))
    print(edge())
    print(f"{best / options.loops * 1e6:.2f} µs per charge edge (best of {options.repeat})")


if __name__ == "__main__":
    main()
