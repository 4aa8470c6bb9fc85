"""The admin's payment searches whose plans each SQL backend explains, by name: each sets a few
filters and leaves the others unset. Each backend's plan test names the index a search must use."""

from __future__ import annotations

import uuid

from adapters.sql.payment_search import SearchStatements, payment_search
from adapters.sql.values import Values
from domain.paging import PageRequest
from domain.payment_search import PaymentSearch
from domain.payments import PaymentStatus
from tests.contract.builders import minutes

FILTERS: dict[str, PaymentSearch] = {
    "id": PaymentSearch(payment_id=uuid.uuid4()),
    "reference": PaymentSearch(reference="PAY-1772357400-0A1B2C3D"),
    "id among filters": PaymentSearch(payment_id=uuid.uuid4(), status=PaymentStatus.COMPLETED,
                                      created_from=minutes(0), created_before=minutes(60)),
    "reference among filters": PaymentSearch(reference="PAY-1772357400-0A1B2C3D", user_id="u1",
                                             gateway="click", created_from=minutes(0)),
    "period": PaymentSearch(created_from=minutes(0), created_before=minutes(5)),
}


def search(name: str, values: Values, mark: str) -> SearchStatements:
    """The two statements of the search called ``name``, written for one backend."""
    return payment_search(values, mark, FILTERS[name], PageRequest())
