"""The wire's shapes: every request and answer body is an attrs class declared once, from field
kinds that carry their JSON Schema (maxLength, enum, ``x-multiline``, format, description).

From that one declaration come the OpenAPI components (``schema_of``; ``COMPONENTS`` holds them
in declaration order), the request rules that name the field (``validation``, compiled from the
same schema) and the cattrs hooks (``converter``). A request keeps its values as sent: money is
only type-checked, and parsed by the domain, which knows the currency. A ``row`` is a part of an
answer, inlined where it is used.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar
from uuid import UUID

import attrs

from domain.money import Money
from entrypoints.http import schema_types as js
from entrypoints.http.schema_types import SHORT, URL, S

T = TypeVar("T")
Amount = int | Decimal | str  # money as sent: a JSON number or a numeric string


@attrs.frozen
class Spec:
    """One field on the wire: its Python type and JSON Schema, or the shape it nests."""

    python: Any
    schema: S = attrs.field(factory=dict)
    nested: type | None = None  # a shape: inlined, or a $ref when it is a component
    array: bool = False
    default: Any = attrs.Factory(lambda: attrs.NOTHING)  # a request field's, when not sent
    absent: bool = False  # an answer field left out when None
    spread: bool = False  # a map whose entries are written first, beside the named fields


@attrs.frozen
class Doc:
    """A shape's own part of its schema."""

    required: tuple[str, ...]
    extra: S | bool | None = None
    examples: tuple[Any, ...] = ()
    description: str = ""


class Request:
    """A request body: checked and structured by the converter."""


class Answer:
    """An answer body: unstructured by the converter."""


COMPONENTS: dict[str, type | Spec] = {}


def _described(schema: S, description: str) -> S:
    return {**schema, "description": description} if description else schema


def text(max_length: int = SHORT, *, enum: tuple[str, ...] = (), description: str = "",
         min_length: int = 0, multiline: bool = False) -> Spec:
    return Spec(str, js.string(max_length, enum=enum, description=description,
                               min_length=min_length, multiline=multiline))


def web_url(description: str = "An absolute http:// or https:// URL (printable ASCII, at most "
                               "2000 characters)") -> Spec:
    return Spec(str, js.string(URL, fmt="uri", description=description))


def text_or_whole(max_length: int, description: str = "") -> Spec:
    return Spec(str | int, _described({"type": ["string", "integer"], "maxLength": max_length},
                                      description))


def choice(kind: type[Enum], max_length: int, *, listed: bool = True) -> Spec:
    """An answer's enum member, written as its value (``listed``: the values are the enum)."""
    values = tuple(str(member.value) for member in kind) if listed else ()
    return Spec(kind, js.string(max_length, enum=values))


def whole(minimum: int | None = None, maximum: int | None = None) -> Spec:
    return Spec(int, js.integer(minimum, maximum))


def flag(description: str = "") -> Spec:
    return Spec(bool, _described({"type": "boolean"}, description))


def number(description: str = "") -> Spec:
    return Spec(Decimal, _described({"type": "number"}, description))


def amount(description: str = "Amount in major units: a JSON number or a numeric string",
           max_length: int = 64) -> Spec:
    """Money (or a percentage) in a request, as sent."""
    schema = {"type": ["number", "string"], "maxLength": max_length}
    return Spec(Amount, _described(schema, description))


def money() -> Spec:
    """Money in an answer: a JSON number with exactly the currency's decimals (None is null)."""
    return Spec(Money, {"type": "number"})


def moment() -> Spec:
    return Spec(datetime, {"type": "string", "format": "date-time"})


def uuid() -> Spec:
    return Spec(UUID, js.uuid_string())


def nullable(spec: Spec) -> Spec:
    declared = spec.schema["type"]
    types = [*declared, "null"] if isinstance(declared, list) else [declared, "null"]
    return attrs.evolve(spec, python=spec.python | None, schema={**spec.schema, "type": types})


def mapping(values: Spec) -> Spec:
    """A free-form map of names to values (in a request, keys of at most 64 characters)."""
    schema = {"type": "object", "properties": {}, "additionalProperties": values.schema}
    return Spec(dict[str, values.python], schema)


def one(shape: type) -> Spec:
    return Spec(shape, nested=shape)


def many(item: type | Spec) -> Spec:
    if isinstance(item, Spec):
        return Spec(list[item.python], {"type": "array", "items": item.schema})
    return Spec(list[item], nested=item, array=True)


def with_default(spec: Spec, value: Any) -> Spec:
    """A request field that is ``value`` when not sent (an explicit null stays None)."""
    return attrs.evolve(spec, default=value)


def absent(spec: Spec) -> Spec:
    return attrs.evolve(spec, absent=True, default=None)


def spread(values: Spec) -> Spec:
    return Spec(dict[str, values.python], values.schema, spread=True)


SUCCESS = Spec(bool, {"type": "boolean", "const": True}, default=True)


def request(name: str, fields: Mapping[str, Spec], *, required: tuple[str, ...] | None = None,
            examples: tuple[Any, ...] = (), description: str = "", open: bool = False) -> type:
    """A request shape (a component); ``required`` defaults to every field, the others to None.
    ``open``: fields beyond these are kept too (a doctor's card), not refused."""
    return _shape(Request, name, fields, Doc(_required(fields, required), True if open else None,
                                             examples, description), component=True)


def answer(name: str, fields: Mapping[str, Spec], *, required: tuple[str, ...] | None = None,
           extra: S | bool | None = None, description: str = "", component: bool = True) -> type:
    """An answer shape; ``required`` defaults to every field that is not ``absent``."""
    return _shape(Answer, name, fields, Doc(_required(fields, required), extra, (), description),
                  component=component)


def row(name: str, fields: Mapping[str, Spec], *, required: tuple[str, ...] | None = None) -> type:
    """A part of answers, inlined in each (not a component)."""
    return answer(name, fields, required=required, component=False)


def success(name: str, **fields: Spec) -> type:
    """A success answer: ``{"success": true, ...}`` with every listed field."""
    return answer(name, {"success": SUCCESS, **fields})


def _required(fields: Mapping[str, Spec], given: tuple[str, ...] | None) -> tuple[str, ...]:
    return given if given is not None else tuple(
        name for name, spec in fields.items() if not (spec.absent or spec.spread))


CURRENCY_BESIDE = Spec(str | None, {"type": "string", "maxLength": 8,
                                    "description": "The currency of the amounts beside it"},
                      absent=True, default=None)


def has_amounts(fields: Mapping[str, Spec]) -> bool:
    """Whether a shape writes amounts of its own (a nested shape carries its own currency)."""
    return any(spec.nested is None and "Money" in str(spec.python) for spec in fields.values())


def _shape(base: type, name: str, fields: Mapping[str, Spec], doc: Doc, *, component: bool) -> type:
    def default(field: str, spec: Spec) -> Any:  # an optional request field defaults to None
        keep = spec.default is not attrs.NOTHING or base is Answer or field in doc.required
        return spec.default if keep else None

    if base is Answer and not {"currency", "default_currency"} & fields.keys() and has_amounts(fields):
        fields = {**fields, "currency": CURRENCY_BESIDE}  # every amount sits beside its currency

    these = {field: attrs.field(type=spec.python, default=default(field, spec),
                                metadata={"wire": spec}) for field, spec in fields.items()}
    shape = attrs.make_class(name, these, bases=(base,), frozen=True, kw_only=True, slots=True)
    shape.__wire__ = doc
    if component:
        COMPONENTS[name] = shape
    return shape


def specs(shape: type) -> list[tuple[str, Spec]]:
    return [(field.name, field.metadata["wire"]) for field in attrs.fields(shape)]


def project(shape: type[T], source: object, **given: Any) -> T:
    """An answer whose fields without a default that are not ``given`` are read from ``source``'s
    attributes of the same names."""
    for field in attrs.fields(shape):
        if field.name not in given and field.default is attrs.NOTHING:
            given[field.name] = getattr(source, field.name)
    return shape(**given)


def schema_of(item: type | Spec) -> S:
    """The JSON Schema of a shape or of one field; a nested component is a ``$ref``."""
    if isinstance(item, Spec):
        if item.nested is None:
            return item.schema
        named = COMPONENTS.get(item.nested.__name__) is item.nested
        inner = js.ref(item.nested.__name__) if named else schema_of(item.nested)
        return {"type": "array", "items": inner} if item.array else inner
    doc, fields = item.__wire__, specs(item)  # type: ignore[attr-defined]
    schema: S = {"type": "object", "properties": {
        name: schema_of(spec) for name, spec in fields if not spec.spread}}
    extra = next((spec.schema for _, spec in fields if spec.spread), doc.extra)
    if doc.required:
        schema["required"] = list(doc.required)
    if extra is not None:
        schema["additionalProperties"] = extra
    if doc.examples:
        schema["examples"] = list(doc.examples)
    if doc.description:
        schema["description"] = doc.description
    return schema
