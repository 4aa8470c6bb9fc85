"""Small builders for JSON Schemas (OpenAPI 3.1 = JSON Schema 2020-12): the strings and numbers of
the shapes (``wire``) and of the query and path parameters."""

from __future__ import annotations

from typing import Any

S = dict[str, Any]
SHORT, TEXT, URL = 255, 1000, 2000


def string(max_length: int = SHORT, *, enum: tuple[str, ...] = (), fmt: str = "",
           description: str = "", min_length: int = 0, multiline: bool = False) -> S:
    """A string. In a request every string is valid Unicode without control characters;
    ``multiline`` (``x-multiline`` in the document) also lets tab and line breaks through."""
    schema: S = {"type": "string", "maxLength": max_length}
    if multiline:
        schema["x-multiline"] = True
    if min_length:
        schema["minLength"] = min_length
    if enum:
        schema["enum"] = list(enum)
    if fmt:
        schema["format"] = fmt
    if description:
        schema["description"] = description
    return schema


def integer(minimum: int | None = None, maximum: int | None = None, description: str = "") -> S:
    schema: S = {"type": "integer"}
    if minimum is not None:
        schema["minimum"] = minimum
    if maximum is not None:
        schema["maximum"] = maximum
    if description:
        schema["description"] = description
    return schema


def uuid_string() -> S:
    return {"type": "string", "format": "uuid"}


def ref(name: str) -> S:
    return {"$ref": f"#/components/schemas/{name}"}
