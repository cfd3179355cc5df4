"""The API's JSON parser: bodies at most `DATA_UPLOAD_MAX_MEMORY_SIZE` bytes (413, see
`exceptions.py`) and nested at most `MAX_JSON_DEPTH` levels (400 `json_too_deep`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.parsers import JSONParser as _JSONParser

from mobility.core.jsonbody import MAX_JSON_DEPTH, JsonTooDeep, loads


class JsonTooDeepError(exceptions.ParseError):
    default_code = "json_too_deep"

    def __init__(self) -> None:
        super().__init__(
            _("The JSON is nested deeper than %(depth)s levels.") % {"depth": MAX_JSON_DEPTH},
            code=self.default_code,
        )


class JSONParser(_JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return loads(stream.read())
        except JsonTooDeep as exc:
            raise JsonTooDeepError() from exc
        except ValueError as exc:  # UnicodeDecodeError too
            raise exceptions.ParseError(_("The body is not valid JSON.")) from exc
