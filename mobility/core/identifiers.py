"""IIN and BIN: Kazakhstan's 12-digit personal and business identification numbers.

Both end in a check digit computed by the same two-pass weighted mod-11 rule. An IIN
encodes the birth date, century and sex of its holder: personal data, so it is masked
in lists and logs, and the matcher never sees it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

FIRST_WEIGHTS = tuple(range(1, 12))  # 1..11
SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)

# Seventh IIN digit: century of birth and sex (odd male, even female).
CENTURY_BY_DIGIT = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}

BIN_TYPES = {
    "4": _("resident legal entity"),
    "5": _("non-resident legal entity"),
    "6": _("joint individual entrepreneurship"),
}
BIN_ATTRIBUTES = {
    "0": _("head office"),
    "1": _("branch"),
    "2": _("representative office"),
    "3": _("peasant (farm) enterprise"),
}


def check_digit(first_eleven: str) -> int | None:
    """The check digit of 11 digits, or None where both passes give 10 (never issued)."""
    digits = [int(ch) for ch in first_eleven]
    total = sum(w * d for w, d in zip(FIRST_WEIGHTS, digits, strict=True)) % 11
    if total == 10:
        total = sum(w * d for w, d in zip(SECOND_WEIGHTS, digits, strict=True)) % 11
        if total == 10:
            return None
    return total


def _check_shape(value: str, *, label: str) -> None:
    if not isinstance(value, str):
        raise ValidationError(_("%(label)s must be text."), code="type", params={"label": label})
    if len(value) != 12:
        raise ValidationError(
            _("%(label)s must have exactly 12 digits; this one has %(count)d characters."),
            code="length",
            params={"label": label, "count": len(value)},
        )
    if not value.isascii() or not value.isdigit():
        raise ValidationError(_("%(label)s may contain digits only."), code="digits", params={"label": label})


def _check_control(value: str, *, label: str) -> None:
    expected = check_digit(value[:11])
    if expected is None or expected != int(value[11]):
        raise ValidationError(
            _("%(label)s has a wrong check digit: please check it for typos."),
            code="checksum",
            params={"label": label},
        )


@dataclass(frozen=True, slots=True)
class IinInfo:
    birth_date: dt.date
    is_male: bool


def parse_iin(value: str) -> IinInfo:
    """Validate an IIN and return what it encodes. Raises ValidationError."""
    label = str(_("IIN"))
    _check_shape(value, label=label)
    century_digit = int(value[6])
    if century_digit not in CENTURY_BY_DIGIT:
        raise ValidationError(_("The 7th digit of an IIN (century and sex) must be 1 to 6."), code="century")
    year = CENTURY_BY_DIGIT[century_digit] + int(value[0:2])
    try:
        birth = dt.date(year, int(value[2:4]), int(value[4:6]))
    except ValueError as exc:
        raise ValidationError(
            _("The first six digits of an IIN must be a real birth date (YYMMDD)."), code="date"
        ) from exc
    _check_control(value, label=label)
    return IinInfo(birth_date=birth, is_male=century_digit % 2 == 1)


def validate_iin(value: str) -> None:
    """Model/form validator for an IIN."""
    info = parse_iin(value)
    from django.utils import timezone  # late: keeps the module importable without settings

    if info.birth_date > timezone.localdate():
        raise ValidationError(_("An IIN cannot encode a birth date in the future."), code="future")


@dataclass(frozen=True, slots=True)
class BinInfo:
    registered: tuple[int, int]  # (year, month)
    entity_type: str
    attribute: str

    @property
    def is_branch(self) -> bool:
        return self.attribute == "1"


def parse_bin(value: str) -> BinInfo:
    """Validate a BIN and return what it encodes. Raises ValidationError."""
    label = str(_("BIN"))
    _check_shape(value, label=label)
    month = int(value[2:4])
    if not 1 <= month <= 12:
        raise ValidationError(
            _("Digits 3–4 of a BIN are the registration month and must be 01 to 12."),
            code="date",
        )
    if value[4] not in BIN_TYPES:
        raise ValidationError(_("The 5th digit of a BIN (entity type) must be 4, 5 or 6."), code="type_digit")
    if value[5] not in BIN_ATTRIBUTES:
        raise ValidationError(
            _("The 6th digit of a BIN (head office, branch…) must be 0 to 3."),
            code="attribute_digit",
        )
    _check_control(value, label=label)
    year = 2000 + int(value[0:2])
    return BinInfo(registered=(year, month), entity_type=value[4], attribute=value[5])


def validate_bin(value: str) -> None:
    """Model/form validator for a BIN."""
    parse_bin(value)


@deconstructible
class IinValidator:
    def __call__(self, value: str) -> None:
        validate_iin(value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IinValidator)


@deconstructible
class BinValidator:
    def __call__(self, value: str) -> None:
        validate_bin(value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BinValidator)


# How a masked number looks, said once: the API's schema, the docs and the tests quote these.
IIN_MASK_HELP = _(
    "Masked: the first 4 digits (year and month of birth), 6 asterisks, then the last 2 digits, "
    "for example 7910******28. The full number is only on the person's full record."
)
PASSPORT_MASK_HELP = _(
    "Masked: every character but the last 3 replaced by an asterisk, for example *****567. "
    "The full number is only on the person's full record."
)


def mask_iin(value: str | None) -> str:
    """'791028302728' → '7910******28': enough to tell two people apart on a list, without the
    birth day, sex or serial the number encodes. The one masking rule for every list, page,
    export, API answer and audit value (see IIN_MASK_HELP)."""
    if not value:
        return ""
    return value[:4] + "*" * (len(value) - 6) + value[-2:]


def mask_passport(value: str | None) -> str:
    """'N12345567' → '******567': the last 3 characters only (see PASSPORT_MASK_HELP)."""
    if not value:
        return ""
    return "*" * max(len(value) - 3, 3) + value[-3:]


def _with_check_digit(first_eleven: str) -> str | None:
    digit = check_digit(first_eleven)
    return None if digit is None else first_eleven + str(digit)


def make_iin(birth_date: dt.date, *, male: bool, serial: int) -> str:
    """A valid IIN for demo data and tests; skips serials whose check digit cannot exist."""
    century = {1800: 1, 1900: 3, 2000: 5}[birth_date.year // 100 * 100] + (0 if male else 1)
    for offset in range(20):
        head = f"{birth_date:%y%m%d}{century}{(serial + offset) % 10000:04d}"
        result = _with_check_digit(head)
        if result:
            return result
    raise ValueError("no valid IIN near this serial")  # pragma: no cover - cannot happen


def make_bin(year: int, month: int, *, entity_type: str = "4", attribute: str = "0", serial: int) -> str:
    """A valid BIN for demo data and tests."""
    for offset in range(20):
        head = f"{year % 100:02d}{month:02d}{entity_type}{attribute}{(serial + offset) % 100000:05d}"
        result = _with_check_digit(head)
        if result:
            return result
    raise ValueError("no valid BIN near this serial")  # pragma: no cover
