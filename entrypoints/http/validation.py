"""The request rules, compiled once per shape from the JSON Schema the OpenAPI document publishes
(type, enum, lengths, bounds, required, properties, additionalProperties, format uri).

Every refusal is a 400 naming the field: the first problem in the body's own order; unknown fields
are ignored. Every string and key obeys ``domain.text``: valid Unicode, no control characters (tab
and line breaks only where the schema says ``x-multiline``), ``maxLength`` (255 when the schema
names none); ``format: uri`` is an absolute http(s) URL. Money is only type-checked (a float is
refused: JSON numbers arrive as ``Decimal``); the domain parses it and names the field itself. A
number too long for an integer arrives as a ``Decimal`` (``jsonio``) and is refused by name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from domain.errors import ValidationError
from domain.money import check_amount
from domain.text import check_text, check_web_url

Check = Callable[[Any, str], None]
MAX_KEY_LENGTH = 64
_TYPES: dict[str, tuple[str, tuple[type, ...]]] = {
    "string": ("a string", (str,)), "integer": ("a whole number", (int,)),
    "number": ("a number", (int, Decimal)), "boolean": ("true or false", (bool,)),
    "object": ("an object", (dict,)), "null": ("null", (type(None),)), "array": ("a list", (list,))}


def compile_check(schema: Mapping[str, Any]) -> Check:
    """``check(value, field)``: None when ``value`` obeys ``schema``, else a ValidationError."""
    names = [schema["type"]] if isinstance(schema["type"], str) else list(schema["type"])
    if set(names) - _TYPES.keys() or {"$ref", "anyOf"} & schema.keys():
        raise TypeError(f"a request field cannot be {names} (no $ref or anyOf)")
    of_type, enum = _type_check(names), schema.get("enum")
    text = _text_check(schema)
    low, high = schema.get("minimum"), schema.get("maximum")
    members = object_check(schema) if "object" in names else None
    items = _items_check(schema) if "array" in names else None

    def check(value: Any, field: str) -> None:
        of_type(value, field)
        if enum is not None and value not in enum:
            raise ValidationError(f"{field} must be one of {', '.join(map(str, enum))}", field=field)
        if isinstance(value, str):
            text(value, field)
        elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            if (low is not None and value < low) or (high is not None and value > high):
                raise ValidationError(f"{field} must be between {low} and {high}", field=field)
        elif members is not None and isinstance(value, dict):
            members(value, field)
        elif items is not None and isinstance(value, list):
            items(value, field)

    return check


def _items_check(schema: Mapping[str, Any]) -> Check:
    """A list of at least ``minItems`` and at most ``maxItems`` items, each obeying ``items``; a
    refusal names the list."""
    each = compile_check(schema["items"])
    low, high = schema.get("minItems", 0), schema.get("maxItems", 1000)

    def check(value: list[Any], field: str) -> None:
        if not low <= len(value) <= high:
            raise ValidationError(f"{field} must hold {low} to {high} items", field=field)
        for item in value:
            each(item, field)

    return check


def object_check(schema: Mapping[str, Any]) -> Check:
    """Required fields (given, not null) first, then each key and field in the body's order; a
    null optional field is as good as absent."""
    required = tuple(schema.get("required", ()))
    properties = {name: compile_check(sub) for name, sub in schema.get("properties", {}).items()}
    extra = schema.get("additionalProperties")
    values = compile_check(extra) if isinstance(extra, Mapping) else None

    def check(value: dict[str, Any], field: str) -> None:
        prefix = "" if field == "body" else f"{field}."
        for name in required:
            if value.get(name) is None:
                raise ValidationError(f"{prefix}{name} is required", field=f"{prefix}{name}")
        for name, item in value.items():
            _key(name, field, kept=values is not None)
            rule = properties.get(name)
            if rule is not None and (item is not None or name in required):
                rule(item, prefix + name)
            elif rule is None and values is not None:
                values(item, prefix + name)

    return check


def _type_check(names: list[str]) -> Check:
    accepted = tuple(kind for name in names for kind in _TYPES[name][1])
    boolean, wanted = "boolean" in names, " or ".join(_TYPES[name][0] for name in names)

    def check(value: Any, field: str) -> None:
        if boolean if isinstance(value, bool) else isinstance(value, accepted):
            return
        if "integer" in names and isinstance(value, Decimal) and value.is_finite() \
                and value == value.to_integral_value():
            raise ValidationError(f"{field} is too large", field=field)
        raise ValidationError(f"{field} must be {wanted}", field=field)

    return check


def _text_check(schema: Mapping[str, Any]) -> Check:
    max_length, min_length = schema.get("maxLength", 255), schema.get("minLength", 0)
    multiline, uri = bool(schema.get("x-multiline")), schema.get("format") == "uri"

    def check(value: str, field: str) -> None:
        check_text(value, field, max_length=max_length, multiline=multiline)
        if len(value) < min_length:
            raise ValidationError(f"{field} must not be empty", field=field)
        if uri:
            check_web_url(value, field, max_length=max_length)

    return check


def _key(name: str, field: str, *, kept: bool) -> None:
    """Every key is valid single-line text (unknown ones too: they are ignored, not stored); a key
    that is kept (a free-form map) is also at most 64 characters. The refusal names the object,
    never the hostile key."""
    try:
        check_text(name, "key", max_length=MAX_KEY_LENGTH if kept else len(name))
    except ValidationError as error:
        raise ValidationError(f"{field} has a key that is not allowed: {error.message}",
                              field=field) from None


def amount_checked(body: Any) -> Any:
    """A settling body (capture, refund) whose optional ``amount`` is checked before the path is
    read: a bad amount is a 400 naming it, whichever hold or charge the path names."""
    if body.amount is not None:
        check_amount(body.amount)
    return body
