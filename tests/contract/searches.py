"""The admin's payment searches whose plans each SQL backend explains, by name: each sets a few
filters and leaves the others unset. Each backend's plan test names the index a search must use."""

from __future__ import annotations

import uuid
from typing import Any

from adapters.sql.payment_search import PaymentSearch, payment_search
from adapters.sql.values import Values
from domain.paging import PageRequest
from domain.payments import PaymentStatus
from tests.contract.builders import minutes

NO_FILTERS = dict.fromkeys(("status", "gateway", "user_id", "created_from", "created_before",
                            "payment_id", "reference"))
FILTERS: dict[str, dict[str, Any]] = {
    "id": {"payment_id": uuid.uuid4()},
    "reference": {"reference": "PAY-1772357400-0A1B2C3D"},
    "id among filters": {"payment_id": uuid.uuid4(), "status": PaymentStatus.COMPLETED,
                         "created_from": minutes(0), "created_before": minutes(60)},
    "reference among filters": {"reference": "PAY-1772357400-0A1B2C3D", "user_id": "u1",
                                "gateway": "click", "created_from": minutes(0)},
    "period": {"created_from": minutes(0), "created_before": minutes(5)},
}


def search(name: str, values: Values, mark: str) -> PaymentSearch:
    """The two statements of the search called ``name``, written for one backend."""
    return payment_search(values, mark, PageRequest(), **{**NO_FILTERS, **FILTERS[name]})
