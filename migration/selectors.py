"""Reads of the foreign-specialist domain, always scoped to the person asking: applicants see
their own applications, migration officers their centre's (a regional manager the region's),
administrators all; anyone else nothing."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median
from typing import Any

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone

from migration.models import (
    Appeal,
    Application,
    ApplicationStep,
    Card,
    ForeignApplicant,
    ForeignOpening,
    InvitationRound,
    ReportingDuty,
)
from migration.sides import migration_centre_ids
from migration.states import (
    KAZAKH_CITIZENSHIP,
    OPEN_APPLICATION_STATUSES,
    AppealStatus,
    CardStatus,
    StepStatus,
)
from mobility.core.actors import actor_of


def applicant_of(user: Any) -> ForeignApplicant | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return ForeignApplicant.objects.filter(user=user).first()


def applications_visible_to(user: Any) -> QuerySet[Application]:
    actor = actor_of(user)
    qs = Application.objects.select_related(
        "applicant__user", "scheme_version__scheme", "centre__region", "occupation__isco_group", "category"
    )
    if actor.is_admin:
        return qs
    if not actor.is_person:
        return qs.none()
    visible = Q(applicant__user=actor.user)
    centres = migration_centre_ids(actor)
    if centres:
        visible |= Q(centre_id__in=centres)
    return qs.filter(visible)


def foreign_applicant_users_in_scope(user: Any) -> QuerySet[Any]:
    """Accounts of the applicants whose applications sit at the centres the caller serves as a
    migration officer or regional manager (all for an administrator): the staff side of who may
    read an applicant's documents."""
    centres = migration_centre_ids(user)
    qs = Application.objects.all()
    if centres is not None:
        qs = qs.filter(centre_id__in=centres)
    return qs.values("applicant__user_id")


def officer_queue(
    user: Any, *, overdue: bool = False, scheme: str = "", field: str = ""
) -> QuerySet[Application]:
    """Open applications of the centres the caller serves, the earliest deadline first (overdue
    ones lead: their deadline is in the past). Applicants' own applications are not a queue."""
    centres = migration_centre_ids(user)
    qs = applications_visible_to(user).filter(status__in=OPEN_APPLICATION_STATUSES)
    if centres is not None:
        qs = qs.filter(centre_id__in=centres)
    if overdue:
        qs = qs.filter(due_on__lt=timezone.localdate())
    if scheme:
        qs = qs.filter(scheme_version__scheme__code=scheme)
    if field:
        qs = qs.filter(field=field)
    return qs.order_by("due_on", "submitted_at", "id")


def application_steps(application: Application) -> list[ApplicationStep]:
    return list(application.steps.select_related("scheme_step", "completed_by").order_by("order", "id"))


def overdue_steps(user: Any) -> QuerySet[ApplicationStep]:
    """Pending steps past their deadline in the caller's centres."""
    return (
        ApplicationStep.objects.filter(
            application__in=officer_queue(user).values("id"),
            status=StepStatus.PENDING,
            due_on__lt=timezone.localdate(),
        )
        .select_related("scheme_step", "application")
        .order_by("due_on", "id")
    )


def appeals_visible_to(user: Any) -> QuerySet[Appeal]:
    return Appeal.objects.filter(application__in=applications_visible_to(user).values("id")).select_related(
        "application__applicant__user", "application__scheme_version__scheme", "refusal__decided_by"
    )


def open_appeals(user: Any) -> QuerySet[Appeal]:
    return appeals_visible_to(user).filter(status=AppealStatus.LODGED).order_by("due_on", "id")


def published_rounds() -> QuerySet[InvitationRound]:
    return (
        InvitationRound.objects.filter(status=InvitationRound.Status.PUBLISHED)
        .select_related("scheme")
        .order_by("-published_at", "-id")
    )


def reporting_duties_of(user: Any) -> QuerySet[ReportingDuty]:
    """The reporting duties of the organisations the caller acts for (an administrator: all)."""
    actor = actor_of(user)
    qs = ReportingDuty.objects.select_related("application__applicant__user", "organisation")
    if actor.is_admin:
        return qs
    return qs.filter(organisation_id__in=actor.organisation_ids())


@dataclass(frozen=True)
class ShortageEvidence:
    open_vacancies: int
    median_days_open: int | None
    registered_seekers: int


def shortage_evidence(occupation_ids: list[int]) -> dict[int, ShortageEvidence]:
    """The exchange's evidence beside each occupation of a shortage list, for staff updating it:
    published vacancies, the median days they have been open, and registered (active) job seekers
    wanting that occupation. Three queries whatever the list's length."""
    from mobility.exchange.models import Registration, SeekerProfile, Vacancy

    now = timezone.now()
    days: dict[int, list[int]] = {i: [] for i in occupation_ids}
    for occupation_id, published_at in Vacancy.objects.filter(
        status=Vacancy.Status.PUBLISHED, occupation_id__in=occupation_ids
    ).values_list("occupation_id", "published_at"):
        days[occupation_id].append((now - published_at).days if published_at else 0)
    active = Registration.objects.filter(status=Registration.Status.ACTIVE).values("profile_id")
    seekers = dict(
        SeekerProfile.objects.filter(id__in=active, desired_occupations__in=occupation_ids)
        .values("desired_occupations")
        .annotate(n=Count("id", distinct=True))
        .values_list("desired_occupations", "n")
    )
    return {
        i: ShortageEvidence(
            open_vacancies=len(days[i]),
            median_days_open=int(median(days[i])) if days[i] else None,
            registered_seekers=seekers.get(i, 0),
        )
        for i in occupation_ids
    }


# --- Holders on the labour exchange -----------------------------------------------------------------
#
# Whether "open to foreign specialists" matters for a person (domain brief, foreign specialists):
# a residence card (the Atameken card, modelled on Ata Zholy) and the pilot's permanent residence
# give free access to work, so their holders are job seekers like any other; a scheme that needs a
# job offer (the B9 valuable-skills visa: the offer is its sponsor, and permits for foreign labour
# go to employers) or does not allow work without a permit ties its holder to vacancies whose
# employer opened them to foreign specialists, after seeing the candidates at home. A foreign
# applicant with no valid card of a free-work scheme (none yet, expired, revoked) is in the same
# place; one who acquired Kazakh citizenship is not foreign any more.

FREE_WORK = Q(
    application__scheme_version__allows_work=True, application__scheme_version__requires_job_offer=False
)


def valid_cards(on: Any = None) -> QuerySet[Card]:
    """Cards in force on a day (issued, not revoked, not expired)."""
    return Card.objects.filter(status=CardStatus.ACTIVE, valid_until__gte=on or timezone.localdate())


def needs_open_vacancy(user_ref: str = "user") -> ExpressionWrapper:
    """An annotation: True for a foreign person who may take only vacancies open to foreign
    specialists (`user_ref` names the user of the annotated row). One subquery pair, no query."""
    foreign = Exists(
        ForeignApplicant.objects.filter(user=OuterRef(user_ref)).exclude(citizenship=KAZAKH_CITIZENSHIP)
    )
    free = Exists(valid_cards().filter(FREE_WORK, application__applicant__user=OuterRef(user_ref)))
    return ExpressionWrapper(Q(foreign) & ~Q(free), output_field=BooleanField())


def foreign_holder(user_ref: str = "user") -> Exists:
    """An annotation: the person holds a card (visa, residence permit, Atameken card) in force."""
    return Exists(valid_cards().filter(application__applicant__user=OuterRef(user_ref)))


def foreign_openings_open() -> QuerySet[ForeignOpening]:
    """Vacancies open to foreign specialists: flagged, published, of a verified employer."""
    from mobility.accounts.models import Organisation
    from mobility.exchange.models import Vacancy

    return ForeignOpening.objects.filter(
        is_open=True,
        vacancy__status=Vacancy.Status.PUBLISHED,
        vacancy__organisation__status=Organisation.Status.VERIFIED,
    )


def foreign_vacancy_ids() -> list[int]:
    return list(foreign_openings_open().values_list("vacancy_id", flat=True))


def holder_card_of(user: Any) -> Card | None:
    """The caller's card in force (the latest issued), if they hold one."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return (
        valid_cards()
        .filter(application__applicant__user=user)
        .select_related(
            "application__scheme_version", "application__centre__region", "application__occupation"
        )
        .order_by("-issued_on", "-id")
        .first()
    )


def candidate_profiles_for(vacancy: Any, profiles: QuerySet[Any], ids: list[int]) -> dict[int, Any]:
    """The ranked seeker profiles of a vacancy by id, each marked `foreign_holder`, without the
    people tied to vacancies open to foreign specialists unless this vacancy is one (the one
    rule for the employer pages and the API; the opening is read only when such a person is
    ranked)."""
    found = profiles.annotate(
        needs_open_vacancy=needs_open_vacancy(), foreign_holder=foreign_holder()
    ).in_bulk(ids)
    if any(p.needs_open_vacancy for p in found.values()) and not (
        foreign_openings_open().filter(vacancy=vacancy).exists()
    ):
        return {pk: p for pk, p in found.items() if not p.needs_open_vacancy}
    return found
