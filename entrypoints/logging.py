"""Structured logs (structlog): JSON lines in production or off a terminal, pretty on a terminal.

Every line, from structlog or from the standard library (Tornado, asyncio), goes through the
same steps: level, UTC timestamp, the fields bound for the request (``request_id``, ``user_id``:
``bind_request_fields``), then ``redact`` — the last step before rendering, so nothing reaches the
output unredacted. Our own lines take a short road: a cached structlog logger runs those steps as
one processor (``_our_line``), renders the line and writes it to the stream itself (no
``logging.LogRecord``, no formatter); the standard library's records go through a handler whose
formatter runs the same steps one by one. Lines written while the event loop is busy are written
together at the end of its current turn (one write to the stream per turn, not per line).

On a terminal (``TerminalRenderer``) a request's line reads ``GET /api/payments/wallet/ 200 3.1ms``
after the time and level, and values read as text: the business events as
``service_charged(service_type=doctor_view, amount=500.00)``, lists joined by commas, no ``None``.

``redact`` (``entrypoints.redaction``) is the guarantee behind SPEC §7 "logs never carry a secret".
"""

from __future__ import annotations

import asyncio
import atexit
import json as _json
import logging
import sys
import threading
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from datetime import UTC, datetime
from types import MappingProxyType
from typing import IO, Any

import structlog
from structlog.stdlib import NAME_TO_LEVEL

from entrypoints.redaction import REDACTED, clean, redact, sensitive_key

_HEAD = ("timestamp", "level", "logger", "event")


def event_first(logger: Any, method: str, event: dict[str, Any]) -> dict[str, Any]:
    """structlog processor: time, level, logger and event lead each line, the fields follow."""
    head = {key: event.pop(key) for key in _HEAD if key in event}
    return {**head, **event}


_NO_FIELDS: Mapping[str, Any] = MappingProxyType({})
_REQUEST_FIELDS: ContextVar[Mapping[str, Any]] = ContextVar("hamyon_log_fields", default=_NO_FIELDS)


def bind_request_fields(**fields: Any) -> None:
    """Add ``fields`` to every line logged from now on in this context (the request's task)."""
    _REQUEST_FIELDS.set({**_REQUEST_FIELDS.get(), **fields})


def clear_request_fields() -> None:
    _REQUEST_FIELDS.set(_NO_FIELDS)


def merge_request_fields(logger: Any, method: str, event: dict[str, Any]) -> dict[str, Any]:
    """structlog processor: the bound request fields, unless the line names them itself."""
    for key, value in _REQUEST_FIELDS.get().items():
        event.setdefault(key, value)
    return event


def use_json(production: bool, stream: IO[str]) -> bool:
    """JSON lines in production and whenever the output is not a terminal (a file, a collector)."""
    return production or not (hasattr(stream, "isatty") and stream.isatty())


class _Output:
    """Where our own lines go and how they look: one per process, replaced by
    ``configure_logging``. The cached loggers read it on every line, so a new configuration
    reaches loggers that were built before it."""

    def __init__(self) -> None:
        self.stream: IO[str] = sys.stdout
        self.render: Any = structlog.processors.JSONRenderer()
        self.level = logging.INFO
        self.lock = threading.Lock()
        self.flush_on: asyncio.AbstractEventLoop | None = None  # the loop whose turn ends in a flush
        self.held: list[str] = []  # lines written during that turn


_OUTPUT = _Output()


def _render(logger: Any, method: str, event: dict[str, Any]) -> str:
    return str(_OUTPUT.render(logger, method, event))


def _our_line(logger: Any, method: str, event: dict[str, Any]) -> str:
    """Our own lines' whole chain in one step: the same fields, order and redaction as ``_steps``
    followed by the renderer, without a call per step (the timestamp, level and logger name it
    writes itself need no redaction)."""
    level = _LEVEL_NAMES.get(method, method)
    if NAME_TO_LEVEL.get(level, logging.INFO) < _OUTPUT.level:
        raise structlog.DropEvent
    for key, value in _REQUEST_FIELDS.get().items():
        event.setdefault(key, value)
    if "exc_info" in event or "stack_info" in event:
        event = _format_exc(logger, method, _stack(logger, method, event))
    line = {"timestamp": datetime.now(UTC).isoformat().replace("+00:00", "Z"), "level": level,
            "logger": logger.name, "event": clean(event.pop("event", None))}
    for key, value in event.items():
        if key not in line:
            line[key] = REDACTED if sensitive_key(key) else clean(value)
    return _render(logger, method, line)


_LEVEL_NAMES = {"warn": "warning", "exception": "error"}
_stack = structlog.processors.StackInfoRenderer()
_format_exc = structlog.processors.format_exc_info


class _LineWriter:
    """The end of our own loggers' chain: the rendered line, held until the end of the event
    loop's turn and then written with the turn's other lines in one write and one flush (at once
    outside a running loop). One write per turn holds even when the stream writes through
    (``PYTHONUNBUFFERED``, as container images often set it)."""

    def __init__(self, name: str = "") -> None:
        self.name = name

    def msg(self, line: str) -> None:
        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        with _OUTPUT.lock:
            _OUTPUT.held.append(line)
            due = _OUTPUT.flush_on
            if due is loop is not None:
                return  # this turn's write is already due
            if loop is None or (due is not None and not due.is_closed()):  # no loop, or another's
                _write_held()
                return
            _OUTPUT.flush_on = loop
        loop.call_soon(_flush)

    debug = info = warning = warn = error = critical = exception = fatal = msg


def _flush() -> None:
    with _OUTPUT.lock:
        _write_held()


def _write_held() -> None:
    """Write and flush the held lines (the caller holds ``_OUTPUT.lock``)."""
    lines, _OUTPUT.held, _OUTPUT.flush_on = _OUTPUT.held, [], None
    if lines:
        _OUTPUT.stream.write("\n".join(lines) + "\n")
        _OUTPUT.stream.flush()


atexit.register(_flush)  # lines of a turn that never ended


def _json_line(logger: Any, method: str, event: dict[str, Any]) -> str:
    # One encoder for every line: ``redact`` has already turned every value into plain JSON types.
    return _ENCODER.encode(event)


_ENCODER = _json.JSONEncoder(default=repr)


def _steps() -> list[Any]:
    """What every line goes through, ours and the standard library's, before rendering."""
    return [
        merge_request_fields,
        structlog.processors.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
        structlog.processors.format_exc_info,
        redact,
        event_first,
    ]


def configure_logging(*, production: bool = False, stream: IO[str] | None = None,
                      json: bool | None = None, level: str | int = "INFO") -> None:
    """Route structlog and the standard library's loggers to ``stream`` (stdout by default)
    through the shared, redacting steps. Safe to call again (tests, ``demo`` after ``serve``)."""
    out = stream if stream is not None else sys.stdout
    as_json = use_json(production, out) if json is None else json
    renderer: Any = _json_line if as_json else TerminalRenderer(colors=_colors(out))
    _route_standard_library(out, renderer, level)
    with _OUTPUT.lock:
        _write_held()  # to the old stream, where they were logged
        _OUTPUT.stream.flush()
    _OUTPUT.stream, _OUTPUT.render = out, renderer
    _OUTPUT.level = logging.getLogger().getEffectiveLevel()
    structlog.configure(
        processors=[_our_line],
        logger_factory=_LineWriter,
        wrapper_class=structlog.make_filtering_bound_logger(logging.NOTSET),
        cache_logger_on_first_use=True,
    )


def _route_standard_library(out: IO[str], renderer: Any, level: str | int) -> None:
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_steps(),
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer])
    handler = logging.StreamHandler(out)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)


class TerminalRenderer:
    """Lines for a person at a terminal: structlog's console layout (time, level, event, logger,
    fields), with a request's line led by its method, route, status and duration, and every value
    written as text (``readable``). Redaction has run before, as for JSON lines."""

    def __init__(self, *, colors: bool) -> None:
        self._console = structlog.dev.ConsoleRenderer(
            colors=colors, exception_formatter=structlog.dev.plain_traceback)

    def __call__(self, logger: Any, method: str, event: dict[str, Any]) -> str:
        if event.get("event") == "request" and "route" in event:
            event = request_headline(event)
        return str(self._console(logger, method, {key: readable(value) for key, value in event.items()
                                                  if value is not None}))


def request_headline(event: dict[str, Any]) -> dict[str, Any]:
    """A request's line with ``GET /route 200 3.1ms`` as its event; the other fields follow."""
    fields = dict(event)
    head = [fields.pop(key, None) for key in ("method", "route", "status")]
    duration = fields.pop("duration_ms", None)
    fields["event"] = " ".join(str(part) for part in head if part is not None) + (
        f" {duration}ms" if duration is not None else "")
    return fields


def readable(value: Any) -> Any:
    """A value as a person reads it: a list joined by commas, a mapping as ``key=value`` pairs,
    a business event (a mapping with an ``event``) as ``name(key=value, ...)``; others as given."""
    if isinstance(value, Mapping):
        fields = {key: item for key, item in value.items() if item is not None}
        name = fields.pop("event", None)
        pairs = ", ".join(f"{key}={readable(item)}" for key, item in fields.items())
        return pairs if name is None else f"{name}({pairs})"
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return ", ".join(str(readable(item)) for item in value)
    return value


def _colors(stream: IO[str]) -> bool:
    return hasattr(stream, "isatty") and stream.isatty()
