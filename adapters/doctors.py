"""Doctor directories (``ports.doctors.DoctorDirectory``): where the doctor view finds its card.

- ``TableDoctorDirectory`` reads the storage's doctor table (seeded through the admin API or CLI).
- ``HttpDoctorDirectory`` reads the platform's doctor API: ``GET {base}/{id}/`` answering JSON with
  ``id``, ``first_name``, ``last_name``, ``specialization`` and ``rating``; 404 means no such
  doctor. A short timeout keeps a slow platform from holding the view: a timeout, a refused
  connection, another status or a body without the names raise ``DoctorDirectoryUnavailable``
  (502), and nothing is charged. The lookup is a read, so nothing needs a retry here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

import tornado.httpclient

from application.doctors import DoctorDirectoryUnavailable
from domain.doctors import Doctor
from ports.storage import UnitOfWorkFactory

DEFAULT_TIMEOUT = 3.0


class TableDoctorDirectory:
    """Active doctors of the storage's doctor table."""

    def __init__(self, unit_of_work: UnitOfWorkFactory) -> None:
        self._unit_of_work = unit_of_work

    async def find(self, doctor_id: str) -> Doctor | None:
        async with self._unit_of_work(write=False) as uow:
            found = await uow.doctors.get(doctor_id)
        return found if found is not None and found.is_active else None


class HttpDoctorDirectory:
    """Active doctors of the platform's doctor API."""

    def __init__(self, base_url: str, timeout: float = DEFAULT_TIMEOUT, *,
                 headers: Mapping[str, str] | None = None,
                 client: tornado.httpclient.AsyncHTTPClient | None = None) -> None:
        self._base_url = base_url.rstrip("/")
        self._timeout = timeout
        self._headers = {"Accept": "application/json", **(headers or {})}
        self._client = client

    async def find(self, doctor_id: str) -> Doctor | None:
        url = f"{self._base_url}/{quote(doctor_id, safe='')}/"
        try:
            # Tornado's shared client of the running loop, unless one was given.
            client = self._client or tornado.httpclient.AsyncHTTPClient()
            response = await client.fetch(
                url, headers=self._headers, connect_timeout=self._timeout,
                request_timeout=self._timeout, raise_error=False)
        except (tornado.httpclient.HTTPClientError, OSError) as error:
            raise DoctorDirectoryUnavailable() from error
        if response.code == 404:
            return None
        if response.code != 200:
            raise DoctorDirectoryUnavailable(f"The doctor directory answered HTTP {response.code}")
        doctor = card_from_json(doctor_id, response.body)
        return doctor if doctor.is_active else None


def card_from_json(doctor_id: str, body: bytes) -> Doctor:
    """A doctor's card from the platform's JSON (the path's id is the card's id)."""
    try:
        fields = json.loads(body.decode("utf-8"), parse_float=Decimal)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise DoctorDirectoryUnavailable("The doctor directory answered something other than JSON") \
            from None
    if not isinstance(fields, dict) or not all(isinstance(fields.get(name), str)
                                               for name in ("first_name", "last_name")):
        raise DoctorDirectoryUnavailable("The doctor directory's answer has no doctor's name")
    specialization = fields.get("specialization")
    return Doctor(doctor_id, fields["first_name"], fields["last_name"],
                  specialization if isinstance(specialization, str) else "",
                  _rating(fields.get("rating")), fields.get("is_active") is not False)


def _rating(raw: Any) -> Decimal | None:
    if isinstance(raw, bool) or not isinstance(raw, (int, Decimal, str)):
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None
