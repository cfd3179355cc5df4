"""What a family would receive for moving: the support package in whole tenge, from the dated rules.

One function for every surface: the public calculator page and API, the certificate (its amount
and cap), the payment schedules and the matcher's relocation hint. The calculator reads the rules
in force on 1 January of the year (the MRP resets then); an application reads those in force on
its own `rules_on` date (`package_on`). Shares are rounded down to whole tenge.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mobility.reference import rules
from mobility.reference.models import MrpRate, ReceptionQuota, Region, SettlementType

MAX_FAMILY_SIZE = 30
GRID_LARGEST_FAMILY = 5  # the rent grid's last column: five or more people
RENT_MIN, RENT_MAX = "rent_subsidy_min_per_month", "rent_subsidy_max_per_month"
CODES = [
    "relocation_subsidy_per_member",
    RENT_MIN,
    RENT_MAX,
    "rent_subsidy_months",
    "employer_subsidy",
    "certificate_share",
    "certificate_cap",
    "minimum_stay_months",
    "refund_share",
]


class CalculatorError(ValidationError):
    """A question the rules cannot answer, naming the field to correct."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__({field: [message]}, code="invalid")
        self.field = field


def grid_code(settlement_type: str, family_size: int) -> str:
    """The programme-rule code of one cell of the rent grid, e.g. rent_subsidy_urban_4."""
    return f"rent_subsidy_{settlement_type}_{min(family_size, GRID_LARGEST_FAMILY)}"


def tenge(multiplier: Decimal, mrp: int) -> int:
    """An MRP multiple in whole tenge, rounded down."""
    return int((multiplier * mrp).to_integral_value(rounding=ROUND_FLOOR))


def certificate_amount(*, home_price: int, share_percent: Decimal, cap: int) -> int:
    """min(share of the price, cap) in whole tenge, the share rounded down."""
    share = int((Decimal(home_price) * share_percent / 100).to_integral_value(rounding=ROUND_FLOOR))
    return min(share, cap)


@dataclass(frozen=True)
class SupportPackage:
    year: int
    rules_on: dt.date
    category: str
    destination: str  # region code
    family_size: int
    settlement_type: str | None
    home_price: int | None
    mrp: int
    relocation_subsidy: int
    rent_subsidy_monthly_min: int
    rent_subsidy_monthly_max: int
    rent_subsidy_months: int
    employer_subsidy: int
    certificate: int | None  # None without a home price
    certificate_cap: int
    certificate_share_percent: Decimal
    minimum_stay_months: int  # 0: no minimum stay applies
    refund_share_percent: Decimal
    # False for a year whose regional quotas are not in the service (2023-2025: only national
    # totals are published): the amounts follow that year's rules, the destination is unchecked.
    quotas_published: bool = True

    @property
    def rent_subsidy_total_min(self) -> int:
        return self.rent_subsidy_monthly_min * self.rent_subsidy_months

    @property
    def rent_subsidy_total_max(self) -> int:
        return self.rent_subsidy_monthly_max * self.rent_subsidy_months


def support_package(
    *,
    year: int,
    category: str = ReceptionQuota.Category.RESETTLER,
    destination: Region | str,
    family_size: int,
    settlement_type: str | None = None,
    home_price: int | None = None,
    version: str | None = None,
) -> SupportPackage:
    """The package under the rules in force on 1 January of `year` (the public calculator)."""
    return package_on(
        on=dt.date(year, 1, 1),
        category=category,
        destination=destination,
        family_size=family_size,
        settlement_type=settlement_type,
        home_price=home_price,
        version=version,
    )


def package_on(
    *,
    on: dt.date,
    category: str,
    destination: Region | str,
    family_size: int,
    settlement_type: str | None = None,
    home_price: int | None = None,
    version: str | None = None,
) -> SupportPackage:
    """The package under the rules in force on a date (an application's `rules_on`).

    Raises CalculatorError naming the field: `year` without published rules, a `destination` that
    does not receive the category that year (when that year's regional quotas are in the service;
    otherwise `quotas_published` is False and the destination is not checked), a `family_size`,
    `home_price`, `category` or `settlement_type` out of range."""
    if category not in ReceptionQuota.Category.values:
        raise CalculatorError("category", _("Choose kandas or resettler."))
    if settlement_type is not None and settlement_type not in SettlementType.values:
        raise CalculatorError("settlement_type", _("Choose urban or rural."))
    if not 1 <= family_size <= MAX_FAMILY_SIZE:
        raise CalculatorError(
            "family_size",
            _("A family counts from 1 to %(max)s people, the applicant included.") % {"max": MAX_FAMILY_SIZE},
        )
    if home_price is not None and home_price <= 0:
        raise CalculatorError("home_price", _("Give the price of the home in tenge, more than zero."))
    region = (
        destination if isinstance(destination, Region) else Region.objects.filter(code=destination).first()
    )
    if region is None:
        raise CalculatorError("destination", _("There is no region with this code."))
    try:
        mrp = rules.mrp_on(on, version=version)
    except MrpRate.DoesNotExist:
        raise CalculatorError(
            "year", _("The rules for %(year)s are not published yet.") % {"year": on.year}
        ) from None
    grid = [
        grid_code(t, family_size) for t in ([settlement_type] if settlement_type else SettlementType.values)
    ]
    found = rules.rules_on([*CODES, *grid], on=on, version=version)
    missing = [code for code in CODES if code not in found]
    if missing:
        raise CalculatorError("year", _("The rules for %(year)s are not published yet.") % {"year": on.year})
    receiving = rules.receiving_region_ids(year=on.year, version=version)
    quotas_published = bool(receiving)
    if quotas_published and category not in receiving.get(region.pk, ()):
        raise CalculatorError(
            "destination",
            _("%(region)s does not receive %(category)s in %(year)s.")
            % {
                "region": region.name,
                "category": ReceptionQuota.Category(category).label.lower(),
                "year": on.year,
            },
        )

    def value(code: str) -> Decimal:
        return found[code].mrp_multiplier

    low, high = tenge(value(RENT_MIN), mrp), tenge(value(RENT_MAX), mrp)
    cells = [tenge(found[code].mrp_multiplier, mrp) for code in grid if code in found]
    if len(cells) == len(grid):  # the grid answers for every settlement type asked
        rent_min = max(low, min(cells))
        rent_max = min(high, max(cells))
    else:
        rent_min, rent_max = low, high
    cap = tenge(value("certificate_cap"), mrp)
    share = value("certificate_share")
    return SupportPackage(
        year=on.year,
        rules_on=on,
        category=category,
        destination=region.code,
        family_size=family_size,
        settlement_type=settlement_type,
        home_price=home_price,
        mrp=mrp,
        relocation_subsidy=tenge(value("relocation_subsidy_per_member") * family_size, mrp),
        rent_subsidy_monthly_min=rent_min,
        rent_subsidy_monthly_max=rent_max,
        rent_subsidy_months=int(value("rent_subsidy_months")),
        employer_subsidy=tenge(value("employer_subsidy"), mrp),
        certificate=(
            certificate_amount(home_price=home_price, share_percent=share, cap=cap)
            if home_price is not None
            else None
        ),
        certificate_cap=cap,
        certificate_share_percent=share,
        quotas_published=quotas_published,
        minimum_stay_months=int(value("minimum_stay_months")),
        refund_share_percent=value("refund_share"),
    )
