"""drf-spectacular hook: the answers every operation can give besides its own, documented once.

Errors are `application/problem+json` (RFC 9457); reads carry an ETag and answer 304 to a
matching `If-None-Match`; POSTs take an `Idempotency-Key`.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as _AutoSchema

PROBLEM = "application/problem+json"

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string", "description": "Identifies the kind of problem."},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "code": {"type": "string"},
        "retry_after": {"type": "integer", "description": "Seconds to wait (429 only)."},
        "errors": {
            "type": "array",
            "description": "The invalid fields (400 only).",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string", "nullable": True},
                    "pointer": {"type": "string", "description": "JSON pointer into the request body."},
                    "detail": {"type": "string"},
                    "code": {"type": "string"},
                },
                "required": ["field", "pointer", "detail", "code"],
            },
        },
    },
    "required": ["type", "title", "status", "detail", "code"],
}

DESCRIPTIONS = {
    "400": "Invalid request: the fields are named in `errors`.",
    "401": "No or invalid credentials.",
    "403": "The credentials do not allow this operation (an API key without the needed scope).",
    "404": "Not found, or not yours: the two look the same.",
    "415": "The body is not JSON.",
    "422": "The Idempotency-Key was used before for a different request.",
    "429": "Too many requests: wait `Retry-After` seconds.",
}


def _problem(code: str) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": DESCRIPTIONS[code],
        "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    if code == "429":
        response["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds."}}
    return response


def add_problem_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            codes = ["400", "401", "403", "404", "429"]
            if method in ("post", "patch", "put"):
                codes.append("415")
            if method == "post":
                codes.append("422")
                operation.setdefault("parameters", []).append(
                    {
                        "in": "header",
                        "name": "Idempotency-Key",
                        "required": False,
                        "schema": {"type": "string", "minLength": 1, "maxLength": 255},
                        "description": "Send a unique value (a UUID) to make a retry safe: the same key "
                        "returns the first answer and does nothing twice.",
                    }
                )
            if method == "get":
                operation.setdefault("parameters", []).append(
                    {
                        "in": "header",
                        "name": "If-None-Match",
                        "required": False,
                        "schema": {"type": "string"},
                        "description": "The ETag of a copy you hold: 304 when it is still current.",
                    }
                )
                responses["304"] = {"description": "Not modified: your copy (its ETag) is current."}
                ok = responses.get("200")
                if ok is not None:
                    ok.setdefault("headers", {})["ETag"] = {"schema": {"type": "string"}}
            for code in codes:
                responses.setdefault(code, _problem(code))
    return result


class AutoSchema(_AutoSchema):
    """Names nested serializers after their API class: `VacancyCreateApi.InputSerializer`
    becomes the component `VacancyCreateInput` (one class per operation, one name per shape)."""

    def _get_serializer_name(self, serializer: Any, direction: Any, bypass_extensions: bool = False) -> str:
        name: str = super()._get_serializer_name(serializer, direction, bypass_extensions)
        qualname = type(serializer).__qualname__
        if "." not in qualname or "<locals>" in qualname:
            return name
        inner = qualname.rsplit(".", 1)[1].removesuffix("Serializer")
        outer = qualname.split(".", 1)[0].removesuffix("Serializer").removesuffix("Api")
        return name.replace(inner, outer + inner, 1)
