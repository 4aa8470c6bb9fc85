"""Request bodies checked against the same JSON Schemas the OpenAPI document publishes.

A deliberately small validator for the subset the API's schemas use (type, enum, lengths,
bounds, required, properties, items, additionalProperties, anyOf, $ref). Every refusal is a 400
that names the field; unknown fields are ignored. Money is only type-checked here: the domain
parses it (decimals, sign, digits) and names the field itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from domain.errors import ValidationError

Schema = Mapping[str, Any]

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
        if len(value) > schema.get("maxLength", 10_000):
            raise ValidationError(
                f"{field} must be at most {schema.get('maxLength', 10_000)} characters", field=field)
        if len(value) < schema.get("minLength", 0):
            raise ValidationError(f"{field} must not be empty", field=field)

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
            if name in properties:
                if item is not None or name in schema.get("required", ()):
                    self.validate(item, properties[name], f"{prefix}{name}")
            elif isinstance(extra, Mapping):
                if len(name) > 64:
                    raise ValidationError(f"{prefix}{name[:64]} is not a valid key", field=field)
                self.validate(item, extra, f"{prefix}{name}")

    def _array(self, value: list[Any], schema: Schema, field: str) -> None:
        if len(value) > schema.get("maxItems", 1000):
            raise ValidationError(f"{field} has too many items", field=field)
        items = schema.get("items")
        if items is not None:
            for index, item in enumerate(value):
                self.validate(item, items, f"{field}[{index}]")
