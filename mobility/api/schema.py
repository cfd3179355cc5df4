"""drf-spectacular hook: the answers every operation can give besides its own, documented once.

Errors are `application/problem+json` (RFC 9457); reads carry an ETag and answer 304 to a
matching `If-None-Match`; POSTs take an `Idempotency-Key`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator, RegexValidator
from drf_spectacular.openapi import AutoSchema as _AutoSchema
from drf_spectacular.plumbing import force_instance

from mobility.api.serializers import StrictSerializer
from mobility.core.jsonbody import MAX_JSON_DEPTH

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
        "request_id": {"type": "string", "description": "Quote it when reporting a 500 (500 only)."},
        "errors": {
            "type": "array",
            "description": "The invalid fields or parameters (400 and 409).",
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
    "400": "Invalid request: the fields and parameters are named in `errors`. Also a body that is "
    f"not JSON or nests deeper than {MAX_JSON_DEPTH} levels (`json_too_deep`), a field the "
    "operation cannot set, and an empty or malformed query parameter or cursor.",
    "401": "No or invalid credentials.",
    "403": "The credentials do not allow this operation (an API key without the needed scope).",
    "404": "Not found, or not yours: the two look the same.",
    "409": "Conflicts with what exists (an open application to the vacancy, an external id in use).",
    "413": "The body is larger than the server accepts (`x-max-body-bytes`).",
    "415": "The body is not JSON.",
    "422": "The Idempotency-Key was used before for a different request.",
    "429": "Too many requests: wait `Retry-After` seconds.",
    "500": "Our fault: nothing about the cause is shown; quote `request_id` (also in `X-Request-ID`).",
    "503": "Briefly unavailable (the database connection was lost): retry after `Retry-After` seconds.",
}


def _problem(code: str) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": DESCRIPTIONS[code],
        "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    if code in ("429", "503"):
        response["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds."}}
    return response


def add_problem_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            codes = ["400", "401", "403", "404", "429", "500", "503"]
            for parameter in operation.get("parameters", []):
                # An empty parameter is refused: a query string has at least one character.
                if parameter["in"] == "query" and parameter["schema"].get("type") == "string":
                    parameter["schema"].setdefault("minLength", 1)
            if method in ("post", "patch", "put"):
                codes += ["409", "413", "415"]
                body = operation.get("requestBody")
                if body is not None:
                    body["x-max-body-bytes"] = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
                    body["x-max-json-depth"] = MAX_JSON_DEPTH
            if method == "post":
                codes.append("422")
                operation.setdefault("parameters", []).append(
                    {
                        "in": "header",
                        "name": "Idempotency-Key",
                        "required": False,
                        # printable ASCII; no space at either end (header values are trimmed)
                        "schema": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 255,
                            "pattern": "^[!-~]([ -~]{0,253}[!-~])?$",
                        },
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
            # Refused by the web server (gunicorn's limit_request_line, nginx's header buffers)
            # before the service runs: a plain page, not a problem document.
            responses.setdefault(
                "414",
                {
                    "description": "The request line (the address with its query) is longer than "
                    "the web server accepts (8190 bytes): answered before the service, as a page.",
                    "content": {"text/html": {"schema": {"type": "string"}}},
                },
            )
    return result


# Text without the NUL character (U+0000), what Django's and DRF's text fields refuse. One or
# more characters: a field that takes an empty string is declared by drf-spectacular as `oneOf`
# this or an empty string, and `oneOf` needs the empty string to match only one of the two.
NO_NUL_PATTERN = "^[^\\x00]+$"


def _declare_no_nul(schema: dict[str, Any], field: Any) -> None:
    """A string field that refuses NUL (Django's `ProhibitNullCharactersValidator`, which every
    DRF `CharField` and Django form `CharField` carries: an answer 400) says so in the schema. A
    field with its own pattern keeps it (one pattern per schema; those patterns exclude NUL)."""
    validators = getattr(field, "validators", None) or []
    if (
        schema.get("type") == "string"
        and "pattern" not in schema
        and "enum" not in schema
        and any(isinstance(v, ProhibitNullCharactersValidator) for v in validators)
        and not any(isinstance(v, RegexValidator) for v in validators)  # declared after this
    ):
        schema["pattern"] = NO_NUL_PATTERN


class AutoSchema(_AutoSchema):
    """Names nested serializers after their API class: `VacancyCreateApi.InputSerializer`
    becomes the component `VacancyCreateInput` (one class per operation, one name per shape).
    Declares the limits the server enforces: inputs take no other properties (`StrictSerializer`),
    filters their lengths and ranges, and text inputs and filters no NUL character."""

    def _map_serializer(self, serializer: Any, direction: Any, bypass_extensions: bool = False) -> Any:
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        if direction == "request" and isinstance(force_instance(serializer), StrictSerializer):
            schema["additionalProperties"] = False
        return schema

    def _map_serializer_field(self, field: Any, direction: Any, bypass_extensions: bool = False) -> Any:
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction == "request" and isinstance(schema, dict):
            _declare_no_nul(schema, field)
        return schema

    def _get_filter_parameters(self) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super()._get_filter_parameters()
        filterset = getattr(self.view, "filterset_class", None)
        filters = getattr(filterset, "base_filters", {}) if filterset else {}
        for parameter in parameters:
            declared = filters.get(parameter["name"])
            if declared is None:
                continue
            limits = {"max_length": "maxLength", "min_value": "minimum", "max_value": "maximum"}
            for option, keyword in limits.items():
                if declared.extra.get(option) is not None:
                    parameter["schema"][keyword] = declared.extra[option]
            _declare_no_nul(parameter["schema"], declared.field)
        return parameters

    def _get_serializer_name(self, serializer: Any, direction: Any, bypass_extensions: bool = False) -> str:
        name: str = super()._get_serializer_name(serializer, direction, bypass_extensions)
        qualname = type(serializer).__qualname__
        if "." not in qualname or "<locals>" in qualname:
            return name
        inner = qualname.rsplit(".", 1)[1].removesuffix("Serializer")
        outer = qualname.split(".", 1)[0].removesuffix("Serializer").removesuffix("Api")
        return name.replace(inner, outer + inner, 1)
