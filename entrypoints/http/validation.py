"""Request bodies checked against the same JSON Schemas the OpenAPI document publishes.

A deliberately small validator for the subset the API's schemas use (type, enum, lengths,
bounds, required, properties, items, additionalProperties, anyOf, $ref, format uri). Every refusal
is a 400 that names the field; unknown fields are ignored. Money is only type-checked here: the
domain parses it (decimals, sign, digits) and names the field itself.

Every string, key and array item of every body obeys ``domain.text``: valid Unicode, no control
characters (tab and line breaks only where the schema says ``x-multiline``), ``maxLength`` (255
when the schema names none), and ``format: uri`` fields are absolute http(s) URLs. A number too
long for an integer arrives as a ``Decimal`` (see ``jsonio``) and is refused here by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from domain.errors import ValidationError
from domain.text import check_text, check_web_url

Schema = Mapping[str, Any]
DEFAULT_MAX_LENGTH = 255
MAX_KEY_LENGTH = 64

_TYPE_NAMES = {"string": "a string", "integer": "a whole number", "number": "a number",
               "boolean": "true or false", "object": "an object", "array": "a list", "null": "null"}


def matches_type(value: object, type_name: str) -> bool:
    if type_name == "string":
        return isinstance(value, str)
    if type_name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name == "number":
        return isinstance(value, (int, Decimal)) and not isinstance(value, bool)
    if type_name == "boolean":
        return isinstance(value, bool)
    if type_name == "object":
        return isinstance(value, dict)
    if type_name == "array":
        return isinstance(value, list)
    return type_name == "null" and value is None


class Validator:
    def __init__(self, components: Mapping[str, Schema]) -> None:
        self._components = components

    def validate(self, value: object, schema: Schema, field: str = "body") -> None:
        if "$ref" in schema:
            self.validate(value, self._components[schema["$ref"].rsplit("/", 1)[-1]], field)
            return
        if "anyOf" in schema:
            self._any_of(value, schema["anyOf"], field)
            return
        self._type(value, schema, field)
        if "enum" in schema and value not in schema["enum"]:
            allowed = ", ".join(str(item) for item in schema["enum"])
            raise ValidationError(f"{field} must be one of {allowed}", field=field)
        if isinstance(value, str):
            self._string(value, schema, field)
        elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            self._bounds(value, schema, field)
        elif isinstance(value, dict):
            self._object(value, schema, field)
        elif isinstance(value, list):
            self._array(value, schema, field)

    def _type(self, value: object, schema: Schema, field: str) -> None:
        declared = schema.get("type")
        if declared is None:
            return
        names = [declared] if isinstance(declared, str) else list(declared)
        if not any(matches_type(value, name) for name in names):
            if "integer" in names and isinstance(value, Decimal) and value.is_finite() \
                    and value == value.to_integral_value():
                raise ValidationError(f"{field} is too large", field=field)
            wanted = " or ".join(_TYPE_NAMES.get(name, name) for name in names)
            raise ValidationError(f"{field} must be {wanted}", field=field)

    def _any_of(self, value: object, options: list[Schema], field: str) -> None:
        first: ValidationError | None = None
        for option in options:
            try:
                self.validate(value, option, field)
                return
            except ValidationError as error:
                first = first or error
        assert first is not None
        raise first

    def _string(self, value: str, schema: Schema, field: str) -> None:
        check_text(value, field, max_length=schema.get("maxLength", DEFAULT_MAX_LENGTH),
                   multiline=bool(schema.get("x-multiline")))
        if len(value) < schema.get("minLength", 0):
            raise ValidationError(f"{field} must not be empty", field=field)
        if schema.get("format") == "uri":
            check_web_url(value, field, max_length=schema.get("maxLength", DEFAULT_MAX_LENGTH))

    def _bounds(self, value: int | Decimal, schema: Schema, field: str) -> None:
        low, high = schema.get("minimum"), schema.get("maximum")
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValidationError(f"{field} must be between {low} and {high}", field=field)

    def _object(self, value: dict[str, Any], schema: Schema, field: str) -> None:
        prefix = "" if field == "body" else f"{field}."
        for name in schema.get("required", ()):
            if value.get(name) is None:
                raise ValidationError(f"{prefix}{name} is required", field=f"{prefix}{name}")
        properties: Mapping[str, Schema] = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for name, item in value.items():
            self._key(name, field, kept=isinstance(extra, Mapping))
            if name in properties:
                if item is not None or name in schema.get("required", ()):
                    self.validate(item, properties[name], f"{prefix}{name}")
            elif isinstance(extra, Mapping):
                self.validate(item, extra, f"{prefix}{name}")

    def _key(self, name: str, field: str, *, kept: bool) -> None:
        """Every key is valid single-line text (unknown ones too: they are ignored, not stored);
        a key that is kept (a free-form map) is also at most 64 characters. The refusal names the
        object, never the hostile key."""
        try:
            check_text(name, "key", max_length=MAX_KEY_LENGTH if kept else len(name))
        except ValidationError as error:
            raise ValidationError(f"{field} has a key that is not allowed: {error.message}",
                                  field=field) from None

    def _array(self, value: list[Any], schema: Schema, field: str) -> None:
        if len(value) > schema.get("maxItems", 1000):
            raise ValidationError(f"{field} has too many items", field=field)
        items = schema.get("items")
        if items is not None:
            for index, item in enumerate(value):
                self.validate(item, items, f"{field}[{index}]")
