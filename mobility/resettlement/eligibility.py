"""Who may resettle with state support, as the 2026 rules state it, each rule answering with a
sentence in the reader's language.

- Resettlers: registered at a career centre as job seekers or unemployed (from the exchange's
  registration data) and permanently registered at their address for at least
  `permanent_registration_months` (12) when they apply.
- Kandases: by their kandas status.
- Graduates of "Zharkyn Bolashak" and "Serpin" qualify from any region within
  `graduate_exception_months` (6) of graduation, while the `graduate_exception` switch is on
  (both uncertain, therefore rules).
- Everyone: the destination receives the applicant's category that year (from the quota rows).
  The origin is recorded for statistics and decides nothing.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mobility.exchange.models import Registration
from mobility.reference import rules
from mobility.reference.models import ReceptionQuota, Region
from mobility.resettlement.models import ACTIVE_STATUSES, GraduateProgramme, ResettlementApplication

Category = ReceptionQuota.Category

# Rules on facts the applicant declares when applying (the registration data lack them).
DECLARED_RULES = frozenset({"permanent_registration", "kandas_status"})


@dataclass(frozen=True)
class RuleResult:
    code: str
    passed: bool
    message: str
    # False for a sentence that informs without deciding (a graduate past the exception's window).
    decides: bool = True

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Eligibility:
    results: tuple[RuleResult, ...]

    @property
    def eligible(self) -> bool:
        return all(r.passed for r in self.results if r.decides)

    @property
    def failed(self) -> list[RuleResult]:
        return [r for r in self.results if r.decides and not r.passed]

    @property
    def prospective(self) -> bool:
        """Eligible as far as the service's own data tell: every failed rule waits for a fact the
        person declares when applying (staff lists of people who could apply)."""
        return all(r.code in DECLARED_RULES for r in self.failed)

    def as_list(self) -> list[dict[str, Any]]:
        return [r.as_dict() for r in self.results]


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (the month's last day where it is shorter)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _months_rule(code: str, on: dt.date, default: int) -> int:
    found = rules.rules_on([code], on=on).get(code)
    return int(found.mrp_multiplier) if found is not None else default


def _switch(code: str, on: dt.date) -> bool:
    found = rules.rules_on([code], on=on).get(code)
    return found is not None and found.mrp_multiplier > 0


def _day(value: dt.date) -> str:
    return date_format(value, "DATE_FORMAT")


def _active_registrations() -> QuerySet[Registration]:
    """Registrations at a career centre, as a job seeker or unemployed, that count for the
    resettler programme (the `registered_at_centre` rule)."""
    return Registration.objects.filter(status=Registration.Status.ACTIVE)


def active_registration(person: Any) -> Registration | None:
    """The person's active registration at a career centre as a job seeker or unemployed."""
    return _active_registrations().filter(profile__user=person).select_related("centre").first()


def _destination(region: Region, category: str, on: dt.date, receiving: bool) -> RuleResult:
    label = Category(category).label.lower()
    values = {"region": region.name, "category": label, "year": on.year}
    if receiving:
        return RuleResult(
            "destination_receiving", True, _("%(region)s receives %(category)s in %(year)s.") % values
        )
    return RuleResult(
        "destination_receiving",
        False,
        _("%(region)s does not receive %(category)s in %(year)s: choose a region that has a quota for them.")
        % values,
    )


def _graduate(programme: str, graduated_on: dt.date | None, on: dt.date) -> RuleResult | None:
    """The graduate exception's answer, or None when it does not apply (not claimed, or off)."""
    if not programme or not _switch("graduate_exception", on):
        return None
    months = _months_rule("graduate_exception_months", on, 6)
    name = GraduateProgramme(programme).label
    if graduated_on is None:
        return RuleResult(
            "graduate_exception",
            False,
            _("Give the date you graduated from %(programme)s.") % {"programme": name},
        )
    if months_before(on, months) <= graduated_on <= on:
        return RuleResult(
            "graduate_exception",
            True,
            _(
                "You graduated from %(programme)s on %(date)s, within %(months)s months: you qualify "
                "from any region."
            )
            % {"programme": name, "date": _day(graduated_on), "months": months},
        )
    return RuleResult(
        "graduate_exception",
        False,
        _(
            "You graduated from %(programme)s on %(date)s: the exception lasts %(months)s months after "
            "graduation, so the usual rules apply."
        )
        % {"programme": name, "date": _day(graduated_on), "months": months},
    )


def _registered(registration: Registration | None) -> RuleResult:
    if registration is None:
        return RuleResult(
            "registered_at_centre",
            False,
            _(
                "You are not registered at a career centre as a job seeker or as unemployed: register "
                "at your career centre first."
            ),
        )
    return RuleResult(
        "registered_at_centre",
        True,
        _("You are registered as %(kind)s at %(centre)s since %(date)s.")
        % {
            "kind": registration.get_kind_display().lower(),
            "centre": registration.centre.name,
            "date": _day(registration.registered_on),
        },
    )


def _permanent_months(on: dt.date) -> int:
    return _months_rule("permanent_registration_months", on, 12)


def _permanent_address(since: dt.date | None, on: dt.date, months: int) -> RuleResult:
    if since is None:
        return RuleResult(
            "permanent_registration",
            False,
            _("Give the date since which you are permanently registered at your address."),
        )
    needed = months_before(on, months)
    if since <= needed:
        return RuleResult(
            "permanent_registration",
            True,
            _(
                "You have been permanently registered at your address since %(date)s: at least "
                "%(months)s months."
            )
            % {"date": _day(since), "months": months},
        )
    return RuleResult(
        "permanent_registration",
        False,
        _(
            "You have been permanently registered at your address since %(date)s: you need %(months)s "
            "months, that is since %(needed)s or earlier."
        )
        % {"date": _day(since), "months": months, "needed": _day(needed)},
    )


def _kandas(status: bool) -> RuleResult:
    if status:
        return RuleResult("kandas_status", True, _("You hold kandas status."))
    return RuleResult(
        "kandas_status",
        False,
        _(
            "The kandas programme is for holders of kandas status: apply as a resettler, or for the "
            "status first."
        ),
    )


def check_eligibility(
    *,
    person: Any,
    category: str,
    destination: Region,
    on: dt.date,
    permanent_registration_since: dt.date | None = None,
    kandas_status: bool = False,
    graduate_programme: str = "",
    graduated_on: dt.date | None = None,
    known: _Known | None = None,
) -> Eligibility:
    """Every rule that applies, passing or failing, with its sentence in the active language.
    `known`: what `check_eligibility_many` loaded for many people at once."""
    if known is None:
        known = _Known(
            registration=active_registration(person) if category != Category.KANDAS else None,
            receiving=destination.pk in rules.receiving_region_ids(year=on.year, category=category),
            permanent_months=_permanent_months(on) if category != Category.KANDAS else 12,
        )
    results: list[RuleResult] = []
    if category == Category.KANDAS:
        results.append(_kandas(kandas_status))
    else:
        graduate = _graduate(graduate_programme, graduated_on, on)
        if graduate is not None:
            # Past the window (or without a date) the usual rules decide; the sentence says why.
            results.append(
                graduate if graduate.passed else RuleResult(graduate.code, False, graduate.message, False)
            )
        if graduate is None or not graduate.passed:
            results.append(_registered(known.registration))
            results.append(_permanent_address(permanent_registration_since, on, known.permanent_months))
    results.append(_destination(destination, category, on, known.receiving))
    return Eligibility(tuple(results))


@dataclass(frozen=True)
class _Known:
    registration: Registration | None
    receiving: bool
    permanent_months: int


def check_eligibility_many(
    *, people: Sequence[Any], category: str, destination: Region, on: dt.date
) -> dict[int, Eligibility]:
    """`check_eligibility` for many people (by user id) on what the service knows of them (their
    registrations; nothing declared yet), in a constant number of queries: for staff lists."""
    registrations: dict[int, Registration] = {}
    for registration in Registration.objects.filter(
        profile__user__in=[p.pk for p in people], status=Registration.Status.ACTIVE
    ).select_related("centre", "profile"):
        registrations.setdefault(registration.profile.user_id, registration)
    receiving = destination.pk in rules.receiving_region_ids(year=on.year, category=category)
    months = _permanent_months(on)
    return {
        person.pk: check_eligibility(
            person=person,
            category=category,
            destination=destination,
            on=on,
            known=_Known(registrations.get(person.pk), receiving, months),
        )
        for person in people
    }


# --- Many people at once (proactive offers) -------------------------------------------------------


@dataclass(frozen=True)
class ResettlerProspect:
    """A person who passes every resettler rule the service can check before they apply."""

    person_id: int
    profile_id: int
    home_region_id: int


@dataclass(frozen=True)
class ResettlerProspects:
    receiving_region_ids: frozenset[int]
    people: tuple[ResettlerProspect, ...]


def resettler_prospects(*, people: Collection[int], on: dt.date) -> ResettlerProspects:
    """Among `people` (user ids), those who may resettle as resettlers under the rules in force on
    `on`, in three queries whatever their number (a nightly offer run over every seeker):

    - `registered_at_centre`: the same active registrations `check_eligibility` asks for;
    - `destination_receiving`: the regions with a resettler quota that year (a person is a
      prospect for the receiving regions other than their own);
    - `permanent_registration` is what the applicant declares when applying, so it is not known
      yet and decides at the application, as does the graduate exception;
    - people who already hold an active resettlement application have asked and are left out.
    """
    receiving = frozenset(rules.receiving_region_ids(year=on.year, category=Category.RESETTLER))
    if not receiving:
        return ResettlerProspects(receiving, ())
    applied = set(
        ResettlementApplication.objects.filter(status__in=ACTIVE_STATUSES).values_list("person_id", flat=True)
    )
    found = []
    for person_id, profile_id, region_id in (
        _active_registrations()
        .order_by("profile_id")
        .values_list("profile__user_id", "profile_id", "profile__region_id")
    ):
        if person_id in people and person_id not in applied:
            found.append(ResettlerProspect(person_id, profile_id, region_id))
    return ResettlerProspects(receiving, tuple(found))
