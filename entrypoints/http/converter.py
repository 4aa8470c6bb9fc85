"""The HTTP edge's one cattrs converter: request bodies into request shapes, answer shapes into
JSON-ready data (``dumps`` writes them).

Hooks: money is written as its ``Decimal`` and a ``Decimal`` stays one (``jsonio`` writes it
digit for digit, so ``50000.00`` stays ``50000.00``, never through a float); a UUID is its
string; an aware datetime is ``2024-01-15T12:00:00Z``; an enum member is its value. A request
shape is built once its body passed the rules compiled from the shape's own JSON Schema
(``validation``), its values kept as sent. An answer is written field by field in its shape's
order, an ``absent`` field left out when None, a ``spread`` map's entries first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import attrs
from cattrs import Converter
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from domain.errors import ValidationError
from domain.money import Money
from domain.text import is_single_line_text
from entrypoints.http.jsonio import encode, iso
from entrypoints.http.validation import object_check
from entrypoints.http.wire import CURRENCY_BESIDE, Answer, Request, schema_of, specs

converter = Converter(detailed_validation=False)
converter.register_unstructure_hook(Money, lambda money: None if money is None else money.amount)
converter.register_unstructure_hook(Decimal, lambda value: value)
converter.register_unstructure_hook(UUID, str)
converter.register_unstructure_hook(datetime, iso)


def _is(base: type) -> Callable[[Any], bool]:
    return lambda kind: isinstance(kind, type) and issubclass(kind, base)


def _as_sent(value: Any, _: Any) -> Any:
    return value


@converter.register_structure_hook_factory(_is(Request))
def _structure_request(shape: type) -> Callable[[Mapping[str, Any], Any], Any]:
    rules = object_check(schema_of(shape))
    build = make_dict_structure_fn(shape, converter, **{
        name: override(struct_hook=_as_sent) for name, _ in specs(shape)})

    def structure(payload: Mapping[str, Any], _: Any) -> Any:
        rules(payload, "body")
        return build(payload, shape)

    return structure


@converter.register_unstructure_hook_factory(_is(Answer))
def _unstructure_answer(shape: type) -> Callable[[Any], dict[str, Any]]:
    fields = specs(shape)
    spreads = [name for name, spec in fields if spec.spread]
    named = make_dict_unstructure_fn(shape, converter, **{
        name: override(omit=True) if spec.spread else override(omit_if_default=True)
        for name, spec in fields if spec.spread or spec.absent})
    written = named if not spreads else (
        lambda answer: {**getattr(answer, spreads[0]), **named(answer)})
    if not any(name == "currency" and spec is CURRENCY_BESIDE for name, spec in fields):
        return written
    amounts = [name for name, spec in fields if spec.nested is None and "Money" in str(spec.python)]
    return lambda answer: _beside(written(answer), answer, amounts)


def _beside(body: dict[str, Any], answer: Any, amounts: list[str]) -> dict[str, Any]:
    """The answer with ``currency``: that of its first amount (none when it has none)."""
    for name in amounts:
        value = getattr(answer, name)
        found = next(iter(value.values()), None) if isinstance(value, dict) else value
        if isinstance(found, Money):
            return {**body, "currency": found.currency.value}
    return body


def dumps(answer: Any) -> str:
    """An answer (a shape, or a list or dict holding shapes and plain values) as JSON text."""
    return encode(converter.unstructure(answer))


MAX_FIELD_NAME = 64


def refuse_fields(names: list[str]) -> None:
    """A 400 naming ``names`` (fields a request does not take), unless there are none. A name
    that is not plain text (a lone surrogate, a control character) or is longer than any field's
    is not echoed: the answer could not be written, or would be the attacker's text."""
    if not names:
        return
    if any(len(name) > MAX_FIELD_NAME or not is_single_line_text(name) for name in names):
        raise ValidationError("The body has a field this request does not take, and its name is "
                              "not a field name", field="body")
    unknown = sorted(names)
    raise ValidationError(f"Unknown field{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}",
                          field=unknown[0], unknown_fields=unknown)


class RequestShapes:
    """The request shapes by the component names the route table uses."""

    def __init__(self, shapes: Mapping[str, type]) -> None:
        self._shapes = dict(shapes)

    def structure(self, payload: Mapping[str, Any], name: str) -> Any:
        """``payload`` structured into the shape, or a ValidationError naming the field."""
        return converter.structure(payload, self._shapes[name])

    def refuse_unknown(self, payload: Mapping[str, Any], name: str) -> None:
        """A ValidationError naming the fields the shape does not have (admin writes: a
        misspelt field must not pass for a change that was made, SPEC §17)."""
        shape = self._shapes[name]
        if shape.__wire__.extra:  # an open shape keeps the fields it does not name
            return
        known = {field.name for field in attrs.fields(shape)}
        refuse_fields([key for key in payload if key not in known])

    def validate(self, payload: Mapping[str, Any], schema: Mapping[str, str]) -> None:
        """Check a mapping a handler gathered itself against ``{"$ref": name}``."""
        self.structure(payload, schema["$ref"].rsplit("/", 1)[-1])
