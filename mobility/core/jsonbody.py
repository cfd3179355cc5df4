"""JSON request bodies within limits: nested at most `MAX_JSON_DEPTH` levels, so no body can
exhaust the parser's stack (a RecursionError, a 500). The one place that decides: the API's
parser and the pages' JSON endpoints (the mobile groups' offline sync) both call `loads`."""

from __future__ import annotations

import json
from typing import Any

MAX_JSON_DEPTH = 32


class JsonTooDeep(ValueError):
    """The document nests arrays and objects deeper than `MAX_JSON_DEPTH`."""


def _too_deep(value: Any) -> bool:
    """Walks the parsed document without recursion, level by level."""
    level, depth = [value], 0
    while level:
        containers = [v for v in level if isinstance(v, dict | list)]
        if not containers:
            return False
        depth += 1
        if depth > MAX_JSON_DEPTH:
            return True
        level = [child for c in containers for child in (c.values() if isinstance(c, dict) else c)]
    return False


def loads(raw: bytes | str) -> Any:
    """`json.loads` that raises `JsonTooDeep` instead of exhausting the stack (RecursionError)
    and refuses anything nested deeper than `MAX_JSON_DEPTH`; other errors are `ValueError`."""
    try:
        value = json.loads(raw, parse_constant=_refuse_constant)
    except RecursionError as exc:
        raise JsonTooDeep from exc
    if _too_deep(value):
        raise JsonTooDeep
    return value


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")
