"""Submit a page's form the way a browser does: every control's current value, as rendered.

A round-trip test reads what the page shows (not what the database holds), so a value the browser
cannot display (a 19.08.2024 in <input type="date">) is sent back empty, as it was in real use.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# What <input type="date"> accepts; anything else the browser shows as empty and submits as "".
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: tuple[str, list[tuple[str, bool]]] | None = None
        self._option: list[str] | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs_list: list) -> None:
        attrs = {k: (v if v is not None else "") for k, v in attrs_list}
        if tag == "form":
            self._form = {"attrs": attrs, "fields": [], "types": {}}
            self.forms.append(self._form)
            return
        if self._form is None or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            self._form["types"][name] = kind
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._form["fields"].append((name, attrs.get("value", "on")))
                return
            value = attrs.get("value", "")
            if kind == "date" and not ISO_DATE.match(value):
                value = ""  # the browser cannot show it: the field comes up blank
            self._form["fields"].append((name, value))
        elif tag == "select" and name:
            self._select = (name, [])
            self._form["types"][name] = "select-multiple" if "multiple" in attrs else "select"
        elif tag == "option" and self._select is not None:
            self._option = [attrs.get("value"), "selected" in attrs]  # type: ignore[list-item]
            self._option_text: list[str] = []
        elif tag == "textarea" and name:
            self._textarea = (name, [])

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)
        if self._option is not None:
            self._option_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._select is not None and self._option is not None:
            value = self._option[0] if self._option[0] is not None else "".join(self._option_text).strip()
            self._select[1].append((value, bool(self._option[1])))
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options = self._select
            chosen = [v for v, selected in options if selected]
            if not chosen and options and self._form["types"].get(name) == "select":
                chosen = [options[0][0]]
            self._form["fields"].extend((name, v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, parts = self._textarea
            text = "".join(parts)
            self._form["fields"].append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "form":
            self._form = None


def forms_of(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def form_data(html: str, *, containing: str) -> dict[str, list[str]]:
    """The data a browser submits for the page's first form with a control named `containing`."""
    for form in forms_of(html):
        if containing in form["types"]:
            data: dict[str, list[str]] = {}
            for name, value in form["fields"]:
                data.setdefault(name, []).append(value)
            return data
    raise AssertionError(f"no form with a control {containing!r}")


def field_value(html: str, name: str) -> str:
    """The value a browser shows for one control (date inputs it cannot show are empty)."""
    return form_data(html, containing=name).get(name, [""])[0]
