"""Small builders for the JSON Schemas (OpenAPI 3.1 = JSON Schema 2020-12) of the API."""

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


def web_url(description: str = "") -> S:
    """An absolute http(s) URL in printable ASCII, at most 2,000 characters."""
    return string(URL, fmt="uri", description=description or
                  "An absolute http:// or https:// URL (printable ASCII, at most 2000 characters)")


def integer(minimum: int | None = None, maximum: int | None = None, description: str = "") -> S:
    schema: S = {"type": "integer"}
    if minimum is not None:
        schema["minimum"] = minimum
    if maximum is not None:
        schema["maximum"] = maximum
    if description:
        schema["description"] = description
    return schema


def money_in(description: str = "Amount in major units: a JSON number or a numeric string") -> S:
    return {"type": ["number", "string"], "maxLength": 64, "description": description}


def money_out(description: str = "") -> S:
    """Money in a response: a JSON number with exactly the currency's decimals."""
    return {"type": "number", **({"description": description} if description else {})}


def number(description: str = "") -> S:
    return {"type": "number", **({"description": description} if description else {})}


def boolean(description: str = "") -> S:
    return {"type": "boolean", **({"description": description} if description else {})}


def nullable(schema: S) -> S:
    types = schema["type"] if isinstance(schema.get("type"), list) else [schema["type"]]
    return {**schema, "type": [*types, "null"]}


def timestamp(optional: bool = False) -> S:
    schema: S = {"type": "string", "format": "date-time"}
    return nullable(schema) if optional else schema


def uuid_string() -> S:
    return {"type": "string", "format": "uuid"}


def array(items: S, max_items: int | None = None) -> S:
    schema: S = {"type": "array", "items": items}
    if max_items is not None:
        schema["maxItems"] = max_items
    return schema


def obj(properties: dict[str, S], required: tuple[str, ...] | None = None, *,
        optional: tuple[str, ...] = (), extra: S | bool | None = None) -> S:
    """An object; ``required`` defaults to every property but the ``optional`` ones."""
    names = required if required is not None else tuple(
        name for name in properties if name not in optional)
    schema: S = {"type": "object", "properties": properties}
    if names:
        schema["required"] = list(names)
    if extra is not None:
        schema["additionalProperties"] = extra
    return schema


def ref(name: str) -> S:
    return {"$ref": f"#/components/schemas/{name}"}


def success(**properties: S) -> S:
    """A success body: ``{"success": true, ...}`` with every listed field required."""
    return obj({"success": {"type": "boolean", "const": True}, **properties})
