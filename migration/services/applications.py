"""Applicants and applications: start, fill in, submit (scored under the questionnaire in force),
the officers' steps with working-day deadlines, and decisions.

Every move of an application goes through `transition()` with the caller's side
(`migration.sides.application_sides`); steps and test results are audited writes. Deadlines are
counted by `mobility.core.calendar` only.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from migration import rules, scoring
from migration.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationStep,
    Decision,
    DecisionReason,
    EligibilityCategory,
    ForeignApplicant,
    LanguageTestResult,
    Questionnaire,
    ReportingDuty,
    Scheme,
    SchemeStep,
    SchemeVersion,
    ShortageOccupation,
)
from migration.sides import application_sides
from migration.states import ApplicationStatus, StepStatus
from migration.workflows import application_workflow
from mobility.accounts.models import User
from mobility.cases.services import case_open
from mobility.core.audit import audit_log
from mobility.core.calendar import add_working_days
from mobility.core.documents.models import Document
from mobility.core.documents.services import document_upload
from mobility.core.outbox import outbox_add
from mobility.core.workflow import START, SYSTEM, Sides, transition
from mobility.exchange.models import Vacancy
from mobility.reference.models import Centre, Region

S = ApplicationStatus


def _today() -> dt.date:
    return timezone.localdate()


def _move(
    application: Application, *, to: str, by: Any, side: Sides | None = None, reason: str = "", **changes: Any
) -> Application:
    return transition(
        application,
        workflow=application_workflow(application.programme),
        to=to,
        side=side if side is not None else application_sides(by, application),
        by=by,
        reason=reason,
        changes=changes,
        event_model=ApplicationEvent,
        event_fk="application",
    )


# --- Applicants ---------------------------------------------------------------------------------


@transaction.atomic
def foreign_applicant_create(
    *,
    user: User,
    citizenship: str,
    passport_country: str,
    passport_number: str,
    passport_expires_on: dt.date,
    by: Any,
    birth_date: dt.date | None = None,
    ethnic_kazakh: bool = False,
) -> ForeignApplicant:
    """The passport profile of an account made by `accounts.services.account_create`."""
    applicant = ForeignApplicant(
        user=user,
        citizenship=citizenship.upper(),
        passport_country=passport_country.upper(),
        passport_number=passport_number.upper().replace(" ", ""),
        passport_expires_on=passport_expires_on,
        birth_date=birth_date,
        ethnic_kazakh=ethnic_kazakh,
    )
    if passport_expires_on <= _today():
        raise ValidationError({"passport_expires_on": _("The passport has expired.")})
    applicant.full_clean()
    applicant.save()
    audit_log(
        actor=by,
        action="foreign_applicant.created",
        obj=applicant,
        data={"citizenship": applicant.citizenship},
    )
    return applicant


# --- Starting and filling in --------------------------------------------------------------------


def _regional_centre(region: Region) -> Centre:
    centre = Centre.objects.filter(region=region, kind=Centre.Kind.REGIONAL).first()
    if centre is None:
        raise ValidationError({"region": _("This region has no labour-mobility centre.")})
    return centre


@transaction.atomic
def application_start(
    *, applicant: ForeignApplicant, scheme: Scheme, region: Region, by: Any, on: dt.date | None = None
) -> Application:
    """A draft under the scheme version in force, on the person's case, handled by the regional
    centre of the region where the applicant means to live and work."""
    on = on or _today()
    try:
        version = rules.scheme_version_on(scheme.code, on=on)
    except SchemeVersion.DoesNotExist:
        raise ValidationError({"scheme": _("This scheme takes no applications at the moment.")}) from None
    if version.requires_ethnic_kazakh and not applicant.ethnic_kazakh:
        raise ValidationError({"scheme": _("This scheme is for ethnic Kazakhs with foreign citizenship.")})
    centre = _regional_centre(region)
    case = case_open(person=applicant.user, centre=centre, by=by)
    application = Application(
        number=f"tmp-{secrets.token_hex(8)}",  # 20 characters, replaced below once the id is known
        applicant=applicant,
        case=case,
        centre=centre,
        scheme_version=version,
        status=S.DRAFT,
    )
    application.save()
    application.number = f"{version.card_prefix}-{on.year}-{application.pk:06d}"
    application.full_clean()
    application.save(update_fields=["number"])
    ApplicationEvent.objects.create(application=application, from_status=START, to_status=S.DRAFT, actor=by)
    audit_log(
        actor=by,
        action="foreign_application.started",
        obj=application,
        to_state=S.DRAFT,
        data={"scheme": scheme.code, "rules": version.label, "case": case.pk},
        programme=scheme.programme,
    )
    return application


def _editable(application: Application, by: Any) -> Application:
    locked = (
        Application.objects.select_for_update()
        .select_related("scheme_version__scheme")
        .get(pk=application.pk)
    )
    if locked.status != S.DRAFT:
        raise ValidationError(_("A submitted application cannot be changed."))
    if "seeker" not in application_sides(by, locked):
        raise ValidationError(_("Only the applicant fills in their application."))
    return locked


def _vacancy_open_to_foreigners(vacancy: Vacancy) -> bool:
    from migration.selectors import foreign_openings_open

    return foreign_openings_open().filter(vacancy=vacancy).exists()


@transaction.atomic
def application_update(
    *,
    application: Application,
    by: Any,
    field: str | None = None,
    occupation: Any = None,
    category: EligibilityCategory | None = None,
    vacancy: Vacancy | None = None,
    answers: dict[str, str] | None = None,
) -> Application:
    """The applicant fills in a draft; what is not given stays as it was."""
    locked = _editable(application, by)
    changes: dict[str, Any] = {}
    if field is not None:
        changes["field"] = field
    if occupation is not None:
        changes["occupation"] = occupation
    if category is not None:
        if category.scheme_version_id != locked.scheme_version_id:
            raise ValidationError({"category": _("Choose a category of this scheme.")})
        changes["category"] = category
    if vacancy is not None:
        if not _vacancy_open_to_foreigners(vacancy):
            raise ValidationError({"vacancy": _("This vacancy is not open to foreign specialists.")})
        if vacancy.pk != locked.vacancy_id:
            changes["offer_confirmed_at"], changes["offer_confirmed_by"] = None, None
        changes["vacancy"] = vacancy
    if answers is not None:
        changes["answers"] = {str(k): str(v) for k, v in answers.items()}
    before = {name: getattr(locked, name) for name in changes}
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    audit_log(
        actor=by,
        action="foreign_application.updated",
        obj=locked,
        changes={
            name: (getattr(before[name], "pk", before[name]), getattr(value, "pk", value))
            for name, value in changes.items()
        },
        programme=locked.programme,
    )
    return locked


@transaction.atomic
def application_document_add(
    *, application: Application, file: Any, by: Any, requirement: Any = None, is_offer_letter: bool = False
) -> ApplicationDocument:
    """A document for the application through the kernel's documents (checked by content)."""
    locked = _editable(application, by)
    if requirement is not None and requirement.scheme_version_id != locked.scheme_version_id:
        raise ValidationError({"requirement": _("Choose a document of this scheme.")})
    kind = (
        Document.Kind.IDENTITY
        if requirement is not None and requirement.code == "passport"
        else Document.Kind.OTHER
    )
    document = document_upload(file=file, kind=kind, owner=locked.applicant.user, by=by, attached_to=locked)
    attached = ApplicationDocument.objects.create(
        application=locked, requirement=requirement, is_offer_letter=is_offer_letter, document=document
    )
    audit_log(
        actor=by,
        action="foreign_application.document_added",
        obj=locked,
        data={"document": str(document.public_id), "requirement": requirement.code if requirement else ""},
        programme=locked.programme,
    )
    return attached


@transaction.atomic
def application_offer_confirm(*, application: Application, by: Any) -> Application:
    """The vacancy's employer confirms the offer on its pages."""
    from mobility.core.actors import actor_of

    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("vacancy__organisation")
        .get(pk=application.pk)
    )
    vacancy = locked.vacancy
    actor = actor_of(by)
    if vacancy is None or not (
        actor.is_admin or vacancy.organisation_id in actor.organisation_ids(verified=True)
    ):
        raise ValidationError(_("Only the employer of the offered vacancy confirms the offer."))
    if locked.offer_confirmed_at is not None:
        return locked
    if locked.status in (S.APPROVED, S.REFUSED, S.WITHDRAWN):
        raise ValidationError(_("This application is already decided."))
    locked.offer_confirmed_at, locked.offer_confirmed_by = timezone.now(), by
    locked.save(update_fields=["offer_confirmed_at", "offer_confirmed_by"])
    audit_log(
        actor=by,
        action="foreign_application.offer_confirmed",
        obj=locked,
        data={"vacancy": vacancy.pk},
        programme=locked.programme,
    )
    step = locked.steps.filter(
        scheme_step__kind=SchemeStep.Kind.EMPLOYER_CONFIRMATION, status=StepStatus.PENDING
    ).first()
    if step is not None:
        _complete(step, status=StepStatus.PASSED, by=by, note="", data={"vacancy": vacancy.pk})
    return locked


# --- Submission ---------------------------------------------------------------------------------


def _check_complete(application: Application, on: dt.date) -> None:
    version = application.scheme_version
    errors: dict[str, str] = {}
    categories = list(version.categories.all())
    if categories and application.category_id is None:
        errors["category"] = _("Choose the category you apply under.")
    if application.category is not None and application.category.needs_shortage_occupation:
        listed = rules.shortage_list_for(on.year)
        on_list = (
            listed is not None
            and application.occupation_id is not None
            and ShortageOccupation.objects.filter(
                shortage_list=listed, occupation_id=application.occupation_id
            ).exists()
        )
        if not on_list:
            errors["occupation"] = _("This category needs an occupation on this year's shortage list.")
    if version.scheme.kind == Scheme.Kind.VISA and not application.field:
        errors["field"] = _("Choose your field.")
    if version.scheme.kind == Scheme.Kind.POINTS and not application.field:
        errors["field"] = _("Choose your field.")
    if application.occupation_id is None and version.scheme.kind != Scheme.Kind.CARD:
        errors["occupation"] = _("Choose your occupation.")
    attached = set(
        application.documents.exclude(requirement=None).values_list("requirement__code", flat=True)
    )
    missing = [d.name for d in version.documents.filter(required=True) if d.code not in attached]
    if missing:
        errors["documents"] = _("Add these documents: %(names)s.") % {"names": ", ".join(missing)}
    if version.requires_job_offer:
        has_letter = application.documents.filter(is_offer_letter=True).exists()
        if application.vacancy_id is None and not has_letter:
            errors["vacancy"] = _(
                "This scheme needs a job offer: choose a vacancy or upload the offer letter."
            )
    if errors:
        raise ValidationError(errors)


def _start_step(step: ApplicationStep, on: dt.date) -> None:
    step.started_on = on
    step.due_on = add_working_days(on, step.scheme_step.deadline_working_days)
    step.save(update_fields=["started_on", "due_on"])


def _next_step(application: Application) -> ApplicationStep | None:
    return (
        application.steps.select_related("scheme_step")
        .filter(status=StepStatus.PENDING, started_on__isnull=True)
        .order_by("order", "id")
        .first()
    )


def _waits_for_round(application: Application, step: ApplicationStep) -> bool:
    """Points applications wait in the pool after the questionnaire until a round invites them."""
    if application.scheme_version.scheme.kind != Scheme.Kind.POINTS:
        return False
    after_questionnaire = application.steps.filter(
        scheme_step__kind=SchemeStep.Kind.QUESTIONNAIRE, order__lt=step.order
    ).exists()
    return after_questionnaire and application.status in (S.SUBMITTED, S.POOLED)


def _start_next(application: Application, on: dt.date) -> None:
    step = _next_step(application)
    if step is not None and not _waits_for_round(application, step):
        _start_step(step, on)


def _complete(
    step: ApplicationStep, *, status: str, by: Any, note: str, data: dict[str, Any] | None
) -> ApplicationStep:
    step.status = status
    step.completed_at = timezone.now()
    step.completed_by = by if getattr(by, "pk", None) else None
    step.note = note
    step.data = data or {}
    step.full_clean()
    step.save()
    audit_log(
        actor=by,
        action="foreign_step.recorded",
        obj=step.application,
        to_state=status,
        reason=note,
        data={"step": step.scheme_step.code, "kind": step.scheme_step.kind, **(data or {})},
        programme=step.application.programme,
    )
    if status != StepStatus.FAILED:
        _start_next(step.application, _today())
    return step


@transaction.atomic
def application_submit(*, application: Application, consent: bool, by: Any) -> Application:
    """Submit a complete draft: a points application is scored under the questionnaire in force
    today (kept on it), its steps get their working-day deadlines and the decision is due
    `review_working_days` later."""
    locked = _editable(application, by)
    today = _today()
    if not consent:
        raise ValidationError({"consent": _("Agree to the processing of your data to submit.")})
    _check_complete(locked, today)
    version = locked.scheme_version
    changes: dict[str, Any] = {
        "submitted_at": timezone.now(),
        "consent_at": timezone.now(),
        "due_on": add_working_days(today, version.review_working_days),
    }
    if version.requires_questionnaire:
        try:
            questionnaire = rules.questionnaire_on(version.scheme.code, on=today)
        except Questionnaire.DoesNotExist:
            raise ValidationError({"answers": _("No points questionnaire is in force.")}) from None
        try:
            result = scoring.score(rules.scoring_table(questionnaire), locked.answers)
        except scoring.AnswerError as error:
            raise ValidationError(
                {"answers": _("Answer the question “%(criterion)s”.") % {"criterion": error.criterion}}
            ) from None
        changes |= {"questionnaire": questionnaire, "score": result.total, "score_breakdown": result.points}
    submitted = _move(locked, to=S.SUBMITTED, by=by, **changes)
    for step in version.steps.all():
        ApplicationStep.objects.create(application=submitted, scheme_step=step, order=step.order)
    first = _next_step(submitted)
    if first is not None:
        _start_step(first, today)
    questionnaire_step = submitted.steps.filter(scheme_step__kind=SchemeStep.Kind.QUESTIONNAIRE).first()
    if questionnaire_step is not None and questionnaire_step.started_on is None:
        # Scored at submission: the step is done the moment it starts.
        _start_step(questionnaire_step, today)
    if questionnaire_step is not None and submitted.questionnaire is not None:
        passed = scoring.passes(submitted.score or 0, submitted.questionnaire.pass_mark)
        _complete(
            questionnaire_step,
            status=StepStatus.PASSED if passed else StepStatus.FAILED,
            by=None,
            note="",
            data={
                "score": submitted.score,
                "pass_mark": submitted.questionnaire.pass_mark,
                "rules": submitted.questionnaire.label,
            },
        )
    outbox_add(
        person=submitted.applicant.user,
        topic="programme",
        template="foreign_submitted",
        key=f"foreign.submitted:{submitted.pk}",
        context={
            "number": submitted.number,
            "due_on": submitted.due_on.isoformat() if submitted.due_on else "",
        },
    )
    _pool_if_ready(submitted, by=None)
    return Application.objects.get(pk=submitted.pk)


@transaction.atomic
def application_withdraw(*, application: Application, by: Any, reason: str = "") -> Application:
    return _move(application, to=S.WITHDRAWN, by=by, reason=reason, due_on=None)


# --- The officers' steps ------------------------------------------------------------------------


def _officer(application: Application, by: Any) -> frozenset[str]:
    sides = application_sides(by, application)
    if "migration_officer" not in sides:
        raise ValidationError(_("Only a migration officer of the applicant's region records this."))
    return sides


@transaction.atomic
def application_review_start(*, application: Application, by: Any) -> Application:
    return _move(application, to=S.IN_REVIEW, by=by)


@transaction.atomic
def step_record(
    *, step: ApplicationStep, status: str, by: Any, note: str = "", data: dict[str, Any] | None = None
) -> ApplicationStep:
    """An officer records the outcome of a started step (the inter-agency check, the interview,
    the home country's consent, the document check): passed, failed or not needed."""
    locked = (
        ApplicationStep.objects.select_for_update()
        .select_related("scheme_step", "application")
        .get(pk=step.pk)
    )
    application = locked.application
    _officer(application, by)
    if status not in (StepStatus.PASSED, StepStatus.FAILED, StepStatus.WAIVED):
        raise ValidationError({"status": _("Choose passed, failed or not needed.")})
    if application.status not in (S.SUBMITTED, S.INVITED, S.IN_REVIEW):
        raise ValidationError(_("Steps are recorded while the application is under review."))
    if locked.status != StepStatus.PENDING or locked.started_on is None:
        raise ValidationError(_("This step is not open."))
    if locked.scheme_step.kind in (
        SchemeStep.Kind.LANGUAGE_TEST,
        SchemeStep.Kind.QUESTIONNAIRE,
        SchemeStep.Kind.DECISION,
    ):
        raise ValidationError(_("This step is recorded by its own form."))
    if status == StepStatus.FAILED and not note.strip():
        raise ValidationError({"note": _("Say why.")})
    return _complete(locked, status=status, by=by, note=note, data=data)


@transaction.atomic
def language_test_record(
    *, application: Application, listening_percent: int, reading_percent: int, taken_on: dt.date, by: Any
) -> LanguageTestResult:
    """A sitting of the Kazakh A1 test. A pass (every block at the scheme's minimum) completes the
    test step; a fail leaves it open for a retake."""
    locked = (
        Application.objects.select_for_update()
        .select_related("scheme_version__scheme")
        .get(pk=application.pk)
    )
    _officer(locked, by)
    version = locked.scheme_version
    if not version.requires_language_test:
        raise ValidationError(_("This scheme has no language test."))
    if locked.status not in (S.SUBMITTED, S.IN_REVIEW):
        raise ValidationError(_("Steps are recorded while the application is under review."))
    if taken_on > _today():
        raise ValidationError({"taken_on": _("The date cannot be in the future.")})
    passed = scoring.language_test_passed(
        listening_percent, reading_percent, minimum=version.test_min_block_percent
    )
    result = LanguageTestResult(
        application=locked,
        taken_on=taken_on,
        listening_percent=listening_percent,
        reading_percent=reading_percent,
        passed=passed,
        recorded_by=by,
    )
    result.full_clean()
    result.save()
    audit_log(
        actor=by,
        action="foreign_application.test_recorded",
        obj=locked,
        data={"listening": listening_percent, "reading": reading_percent, "passed": passed},
        programme=locked.programme,
    )
    step = (
        locked.steps.select_related("scheme_step")
        .filter(scheme_step__kind=SchemeStep.Kind.LANGUAGE_TEST, status=StepStatus.PENDING)
        .first()
    )
    if passed and step is not None:
        if step.started_on is None:
            _start_step(step, _today())
        _complete(
            step,
            status=StepStatus.PASSED,
            by=by,
            note="",
            data={"listening": listening_percent, "reading": reading_percent},
        )
        _pool_if_ready(locked, by=None)
    return result


def _pool_if_ready(application: Application, *, by: Any) -> None:
    """A points application whose test and questionnaire are passed enters the pool (system)."""
    fresh = Application.objects.select_related("scheme_version__scheme", "questionnaire").get(
        pk=application.pk
    )
    if fresh.scheme_version.scheme.kind != Scheme.Kind.POINTS or fresh.status != S.SUBMITTED:
        return
    before_pool = fresh.steps.filter(
        scheme_step__kind__in=[SchemeStep.Kind.LANGUAGE_TEST, SchemeStep.Kind.QUESTIONNAIRE]
    )
    if before_pool.exclude(status__in=[StepStatus.PASSED, StepStatus.WAIVED]).exists():
        return
    _move(fresh, to=S.POOLED, by=by, side=SYSTEM, due_on=None)


@transaction.atomic
def application_pool(*, application: Application, by: Any) -> Application:
    """An officer moves a ready points application into the pool (the system does it itself)."""
    _officer(application, by)
    _pool_if_ready(application, by=by)
    return Application.objects.get(pk=application.pk)


def application_invite(*, application: Application, on: dt.date, by: Any) -> Application:
    """A round invited a pooled application: its remaining steps start and the decision is due
    `review_working_days` from the invitation (called by `round_run`, in its transaction)."""
    invited = _move(
        application,
        to=S.INVITED,
        by=by,
        side=SYSTEM,
        due_on=add_working_days(on, application.scheme_version.review_working_days),
    )
    _start_next(invited, on)
    outbox_add(
        person=invited.applicant.user,
        topic="programme",
        template="foreign_invited",
        key=f"foreign.invited:{invited.pk}",
        context={"number": invited.number},
    )
    return invited


# --- Decisions ----------------------------------------------------------------------------------


def _reasons_text(reasons: Sequence[DecisionReason], text: str) -> str:
    return "; ".join([r.code for r in reasons] + ([text.strip()] if text.strip() else []))


def _check_reasons(application: Application, outcome: str, reasons: Sequence[DecisionReason]) -> None:
    if not reasons:
        raise ValidationError({"reasons": _("Choose at least one reason.")})
    for reason in reasons:
        if reason.scheme_version_id != application.scheme_version_id or reason.outcome != outcome:
            raise ValidationError({"reasons": _("Choose reasons of this scheme for this decision.")})


def decision_record(
    *,
    application: Application,
    outcome: str,
    reasons: Sequence[DecisionReason],
    text: str,
    by: Any,
    appeal: Any = None,
) -> Decision:
    """The decision row (rules, questionnaire and score as kept on the application), the decision
    step, the card on approval, the employer's reporting duty, and the applicant's message."""
    version = application.scheme_version
    today = _today()
    decision = Decision.objects.create(
        application=application,
        outcome=outcome,
        text=text.strip(),
        scheme_version=version,
        questionnaire=application.questionnaire,
        score=application.score,
        appeal=appeal,
        decided_by=by,
        appeal_until=add_working_days(today, version.appeal_working_days)
        if outcome == DecisionReason.Outcome.REFUSED and appeal is None
        else None,
    )
    decision.reasons.set(reasons)
    for step in application.steps.select_related("scheme_step").filter(
        scheme_step__kind=SchemeStep.Kind.DECISION, status=StepStatus.PENDING
    ):
        if step.started_on is None:
            step.started_on = today
        step.status, step.completed_at, step.completed_by = StepStatus.PASSED, timezone.now(), by
        step.save()
    if outcome == DecisionReason.Outcome.APPROVED:
        from migration.services.cards import card_issue

        card_issue(application=application, by=by)
        if application.vacancy is not None:
            ReportingDuty.objects.get_or_create(
                application=application,
                kind=ReportingDuty.Kind.STARTED,
                defaults={
                    "organisation_id": application.vacancy.organisation_id,
                    "due_on": add_working_days(today, version.employer_report_working_days),
                },
            )
    outbox_add(
        person=application.applicant.user,
        topic="programme",
        template="foreign_decision",
        key=f"foreign.decision:{decision.pk}",
        context={"number": application.number, "outcome": outcome, "decision": decision.pk},
    )
    return decision


@transaction.atomic
def application_decide(
    *, application: Application, outcome: str, reasons: Sequence[DecisionReason], text: str, by: Any
) -> Decision:
    """Approve or refuse, with reasons from the scheme version's list and the officer's own words.
    An approval needs every step before the decision passed (or not needed)."""
    locked = (
        Application.objects.select_for_update()
        .select_related("scheme_version__scheme", "applicant__user")
        .get(pk=application.pk)
    )
    if outcome not in DecisionReason.Outcome.values:
        raise ValidationError({"outcome": _("Choose approval or refusal.")})
    _check_reasons(locked, outcome, reasons)
    if outcome == DecisionReason.Outcome.APPROVED:
        open_steps = locked.steps.exclude(scheme_step__kind=SchemeStep.Kind.DECISION).exclude(
            status__in=[StepStatus.PASSED, StepStatus.WAIVED]
        )
        if open_steps.exists():
            raise ValidationError(_("Every step must be passed before an approval."))
    decided = _move(
        locked,
        to=outcome,
        by=by,
        reason=_reasons_text(reasons, text),
        decided_at=timezone.now(),
        decided_by=by,
    )
    return decision_record(application=decided, outcome=outcome, reasons=reasons, text=text, by=by)
