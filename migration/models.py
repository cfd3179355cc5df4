"""Foreign specialists: the schemes as versioned data, applications, decisions, appeals, cards and
invitation rounds.

Rules are data on the kernel's dated rules (`mobility.reference.models.DatedRule`): a scheme
version, a points questionnaire and a shortage-occupation list are each a draft under a version
label until `mobility.reference.services.rule_publish` publishes them; their child rows (steps,
documents, reasons, categories, criteria, options, occupations) belong to that version and are
read-only with it. An application keeps the scheme version and the questionnaire it was scored
and decided under (PROTECT): publishing the next year's rules changes nothing already decided.

Every state change goes through `migration.services` (`transition()` or `audit_log`).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from migration.states import AppealStatus, ApplicationStatus, CardStatus, StepStatus
from migration.workflows import APPEAL_MOVES, VISA_APPLICATION_WORKFLOW, application_workflow
from mobility.core.actors import Programme
from mobility.core.identifiers import mask_passport
from mobility.core.models import WorkflowEvent
from mobility.core.workflow import Workflow
from mobility.reference.models import DRAFT, PUBLISHED, DatedRule, TrilingualName

__all__ = ["AppealStatus", "ApplicationStatus", "CardStatus", "StepStatus"]


class Field(models.TextChoices):
    """Fields of the valuable-skills visa and of invitation rounds."""

    SCIENCE = "science", _("Science")
    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health")
    INDUSTRY = "industry", _("Industry")
    IT = "it", _("Information technology")
    SPORT = "sport", _("Sport")
    CULTURE = "culture", _("Culture")


def _label(obj: object, prefix: str = "name") -> str:
    lang = (get_language() or "kk")[:2]
    return str(getattr(obj, f"{prefix}_{lang}", "") or getattr(obj, f"{prefix}_en", ""))


def _pairs_q(moves: tuple, field_from: str = "from_status", field_to: str = "to_status") -> Q:
    q = Q()
    for m in moves:
        q |= Q(**{field_from: m.source, field_to: m.target})
    return q


# --- Schemes ---------------------------------------------------------------------------------------


class Scheme(models.Model):
    """A scheme's identity (the B9 visa, the points pilot, a residence card); everything about it
    that can change lives in its versions, so a renamed or reshaped card is a data change."""

    class Kind(models.TextChoices):
        VISA = "visa", _("Visa (valuable skills)")
        POINTS = "points", _("Points-based residence")
        CARD = "card", _("Residence card")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = _("scheme")
        verbose_name_plural = _("schemes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @property
    def programme(self) -> str:
        """The case-timeline programme its applications belong to."""
        return Programme.CARD if self.kind == self.Kind.CARD else Programme.VISA


class SchemeVersion(DatedRule, TrilingualName):
    """One version of a scheme's rules, in force from `valid_from` (until `valid_to`)."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="versions"
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    # Eligibility and what an application needs.
    requires_ethnic_kazakh = models.BooleanField(_("for ethnic Kazakhs only"), default=False)
    requires_job_offer = models.BooleanField(_("needs a job offer"), default=False)
    requires_questionnaire = models.BooleanField(_("scored by the points questionnaire"), default=False)
    requires_language_test = models.BooleanField(_("needs the Kazakh language test"), default=False)
    test_min_block_percent = models.PositiveSmallIntegerField(
        _("language test: minimum per block, %"), default=30, validators=[MaxValueValidator(100)]
    )
    # Restrictions on the holder, as flags.
    allows_work = models.BooleanField(_("may work without a permit"), default=True)
    allows_business = models.BooleanField(_("may run a business"), default=False)
    excludes_voting = models.BooleanField(_("no right to vote or be elected"), default=False)
    excludes_public_office = models.BooleanField(_("no public office"), default=False)
    excludes_public_service = models.BooleanField(_("no public service"), default=False)
    excludes_referendums = models.BooleanField(_("no part in referendums"), default=False)
    # Validity of what an approval issues.
    max_validity_years = models.PositiveSmallIntegerField(
        _("maximum validity, years"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    cap_at_passport_expiry = models.BooleanField(_("never past the passport's expiry"), default=True)
    card_prefix = models.CharField(
        _("number prefix"),
        max_length=4,
        default="KZ",
        validators=[RegexValidator(r"^[A-Z]{1,4}$", _("One to four capital Latin letters."))],
    )
    # Deadlines.
    review_working_days = models.PositiveSmallIntegerField(_("review deadline, working days"))
    total_limit_days = models.PositiveSmallIntegerField(
        _("whole procedure at most, calendar days"), null=True, blank=True
    )
    appeal_working_days = models.PositiveSmallIntegerField(_("appeal period, working days"), default=20)
    appeal_review_working_days = models.PositiveSmallIntegerField(
        _("appeal decided within, working days"), default=15
    )
    employer_report_working_days = models.PositiveSmallIntegerField(
        _("employer reports the start of work within, working days"), default=10
    )
    # Terminating events.
    void_on_citizenship = models.BooleanField(_("void on acquiring citizenship"), default=False)
    void_on_false_information = models.BooleanField(_("void on false information"), default=True)
    void_on_permanent_departure = models.BooleanField(_("void on leaving for good"), default=False)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    confirmed = models.BooleanField(
        _("confirmed"), default=False, help_text=_("Unticked while the legal text is not confirmed.")
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("scheme version")
        verbose_name_plural = _("scheme versions")
        ordering = ["scheme__code", "-valid_from"]
        constraints = [
            *DatedRule.Meta.constraints,
            models.UniqueConstraint(
                fields=["scheme", "valid_from"],
                condition=PUBLISHED,
                name="one_published_scheme_version_per_start",
            ),
            models.UniqueConstraint(
                fields=["scheme", "valid_from", "version"],
                condition=DRAFT,
                name="one_draft_scheme_version_per_start",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="scheme_version_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version or self.valid_from})"

    @property
    def description(self) -> str:
        return _label(self, "description")

    @property
    def label(self) -> str:
        """The version as people see it: the label it was drafted and published under."""
        return self.version or self.valid_from.isoformat()


class SchemeChild(TrilingualName):
    """A row that belongs to one scheme version and is published (and frozen) with it."""

    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.SlugField(_("code"), max_length=40)
    confirmed = models.BooleanField(
        _("confirmed"), default=False, help_text=_("Unticked while the legal text is not confirmed.")
    )

    class Meta:
        abstract = True
        ordering = ["order", "id"]


class EligibilityCategory(SchemeChild):
    """Who may apply, e.g. the Atameken card's three categories."""

    scheme_version = models.ForeignKey(SchemeVersion, on_delete=models.CASCADE, related_name="categories")
    needs_shortage_occupation = models.BooleanField(
        _("occupation must be on the shortage list"), default=False
    )

    class Meta(SchemeChild.Meta):
        verbose_name = _("eligibility category")
        verbose_name_plural = _("eligibility categories")
        constraints = [
            models.UniqueConstraint(fields=["scheme_version", "code"], name="one_category_code_per_version")
        ]


class SchemeStep(SchemeChild):
    """A step of the procedure with its deadline in working days, counted from the day the step
    starts (the submission for the first, the previous step's completion for the others)."""

    class Kind(models.TextChoices):
        DOCUMENT_CHECK = "document_check", _("Document check")
        LANGUAGE_TEST = "language_test", _("Kazakh language test")
        QUESTIONNAIRE = "questionnaire", _("Points questionnaire")
        INTER_AGENCY_CHECK = "inter_agency_check", _("Inter-agency check")
        INTERVIEW = "interview", _("Interview")
        HOME_CONSENT = "home_consent", _("Home country's consent")
        EMPLOYER_CONFIRMATION = "employer_confirmation", _("Employer's confirmation of the offer")
        DECISION = "decision", _("Decision")

    scheme_version = models.ForeignKey(SchemeVersion, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    deadline_working_days = models.PositiveSmallIntegerField(_("deadline, working days"))

    class Meta(SchemeChild.Meta):
        verbose_name = _("scheme step")
        verbose_name_plural = _("scheme steps")
        constraints = [
            models.UniqueConstraint(fields=["scheme_version", "code"], name="one_step_code_per_version")
        ]


class RequiredDocument(SchemeChild):
    scheme_version = models.ForeignKey(SchemeVersion, on_delete=models.CASCADE, related_name="documents")
    required = models.BooleanField(_("required"), default=True)

    class Meta(SchemeChild.Meta):
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        constraints = [
            models.UniqueConstraint(fields=["scheme_version", "code"], name="one_document_code_per_version")
        ]


class DecisionReason(SchemeChild):
    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approval")
        REFUSED = "refused", _("Refusal")

    scheme_version = models.ForeignKey(SchemeVersion, on_delete=models.CASCADE, related_name="reasons")
    outcome = models.CharField(_("used for"), max_length=10, choices=Outcome.choices)

    class Meta(SchemeChild.Meta):
        verbose_name = _("decision reason")
        verbose_name_plural = _("decision reasons")
        constraints = [
            models.UniqueConstraint(fields=["scheme_version", "code"], name="one_reason_code_per_version")
        ]


# --- Shortage occupations ------------------------------------------------------------------------------


class ShortageList(DatedRule):
    """The in-demand (shortage) occupations of a year."""

    year = models.PositiveSmallIntegerField(_("year"))
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("shortage-occupation list")
        verbose_name_plural = _("shortage-occupation lists")
        ordering = ["-year"]
        constraints = [
            *DatedRule.Meta.constraints,
            models.UniqueConstraint(
                fields=["year"], condition=PUBLISHED, name="one_published_shortage_list_per_year"
            ),
            models.UniqueConstraint(
                fields=["year", "version"], condition=DRAFT, name="one_draft_shortage_list_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} ({self.version or self.status})"


class ShortageOccupation(models.Model):
    shortage_list = models.ForeignKey(ShortageList, on_delete=models.CASCADE, related_name="occupations")
    occupation = models.ForeignKey(
        "matching.Occupation", verbose_name=_("occupation"), on_delete=models.PROTECT, related_name="+"
    )
    field = models.CharField(_("field"), max_length=12, choices=Field.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("shortage occupation")
        verbose_name_plural = _("shortage occupations")
        ordering = ["shortage_list", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shortage_list", "occupation"], name="one_occupation_per_shortage_list"
            )
        ]

    def __str__(self) -> str:
        return f"{self.shortage_list.year}: {self.occupation_id}"


# --- The points questionnaire ------------------------------------------------------------------------


class Questionnaire(DatedRule):
    """The points questionnaire of a scheme, in force from `valid_from`: criteria, options,
    points and the pass mark. The weights are unpublished: `provisional` says so."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="questionnaires")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    pass_mark = models.PositiveIntegerField(_("pass mark, points"))
    provisional = models.BooleanField(
        _("provisional weights"), default=True, help_text=_("The official weights are not published.")
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("points questionnaire")
        verbose_name_plural = _("points questionnaires")
        ordering = ["scheme__code", "-valid_from"]
        constraints = [
            *DatedRule.Meta.constraints,
            models.UniqueConstraint(
                fields=["scheme", "valid_from"],
                condition=PUBLISHED,
                name="one_published_questionnaire_per_start",
            ),
            models.UniqueConstraint(
                fields=["scheme", "valid_from", "version"],
                condition=DRAFT,
                name="one_draft_questionnaire_per_start",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="questionnaire_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme_id}: {self.label}"

    @property
    def label(self) -> str:
        return self.version or self.valid_from.isoformat()


class Criterion(TrilingualName):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "code"], name="one_criterion_code_per_questionnaire"
            )
        ]


class CriterionOption(TrilingualName):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="options")
    code = models.SlugField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    points = models.PositiveIntegerField(_("points"))

    class Meta:
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "code"], name="one_option_code_per_criterion")
        ]


# --- Applicants and applications --------------------------------------------------------------------


class ForeignApplicant(models.Model):
    """A foreign applicant's profile on their account: passport instead of an IIN."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="foreign_applicant"
    )
    citizenship = models.CharField(
        _("citizenship"),
        max_length=2,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Use the two-letter country code."))],
    )
    passport_country = models.CharField(
        _("passport issued by"),
        max_length=2,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Use the two-letter country code."))],
    )
    passport_number = models.CharField(
        _("passport number"),
        max_length=20,
        validators=[RegexValidator(r"^[A-Z0-9]{5,20}$", _("Letters and digits only."))],
    )
    passport_expires_on = models.DateField(_("passport valid until"))
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    ethnic_kazakh = models.BooleanField(_("ethnic Kazakh"), default=False)
    # Recorded by a migration officer with Kazakh citizenship (`foreign_applicant_citizenship_record`).
    citizenship_acquired_on = models.DateField(_("citizenship acquired on"), null=True, blank=True)
    citizenship_evidence = models.CharField(_("evidence of citizenship"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("foreign applicant")
        verbose_name_plural = _("foreign applicants")
        constraints = [
            models.UniqueConstraint(
                fields=["passport_country", "passport_number"], name="one_applicant_per_passport"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.passport_country})"

    @property
    def masked_passport(self) -> str:
        return mask_passport(self.passport_number)


class Application(models.Model):
    """An application under one scheme version, on the person's case; `centre` is the regional
    centre whose migration officers handle it."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    applicant = models.ForeignKey(
        ForeignApplicant, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="applications"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="foreign_applications")
    centre = models.ForeignKey(
        "reference.Centre",
        verbose_name=_("centre"),
        on_delete=models.PROTECT,
        related_name="foreign_applications",
    )
    scheme_version = models.ForeignKey(
        SchemeVersion, verbose_name=_("rules"), on_delete=models.PROTECT, related_name="applications"
    )
    category = models.ForeignKey(
        EligibilityCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    field = models.CharField(_("field"), max_length=12, choices=Field.choices, blank=True)
    occupation = models.ForeignKey(
        "matching.Occupation",
        verbose_name=_("occupation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    # The job offer: a verified employer's vacancy open to foreign specialists, confirmed by the
    # employer, or an uploaded offer letter (a Document attached to the application).
    vacancy = models.ForeignKey(
        "exchange.Vacancy",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="foreign_applications",
    )
    offer_confirmed_at = models.DateTimeField(_("offer confirmed"), null=True, blank=True)
    offer_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Points: the questionnaire version, the answers and the score it gave (kept as scored).
    questionnaire = models.ForeignKey(
        Questionnaire, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    score = models.PositiveIntegerField(_("score"), null=True, blank=True)
    score_breakdown = models.JSONField(_("points per criterion"), default=dict, blank=True)
    consent_at = models.DateTimeField(_("consent to processing given"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    due_on = models.DateField(_("decision due"), null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("foreign-specialist application")
        verbose_name_plural = _("foreign-specialist applications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["centre", "status"]),
            models.Index(fields=["status", "field", "score"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False), name="foreign_submitted_has_date"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "refused"]) | Q(decided_at__isnull=False),
                name="foreign_decided_has_date",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(questionnaire__isnull=False),
                name="foreign_score_has_questionnaire",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def programme(self) -> str:
        return self.scheme_version.scheme.programme

    @property
    def workflow(self) -> Workflow:
        return application_workflow(self.programme)

    @property
    def is_overdue(self) -> bool:
        return (
            self.status in ("submitted", "invited", "in_review")
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )


class ApplicationEvent(WorkflowEvent):
    """One step of an application's history; the database refuses a move the workflow lacks."""

    workflow = VISA_APPLICATION_WORKFLOW

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        constraints = [
            models.CheckConstraint(
                condition=VISA_APPLICATION_WORKFLOW.check_constraint_q("from_status", "to_status"),
                name="foreign_application_transition_allowed",
            )
        ]


class ApplicationStep(models.Model):
    """A step of one application (a copy of its scheme step), with its working-day deadline."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    scheme_step = models.ForeignKey(SchemeStep, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("order"))
    status = models.CharField(
        _("status"), max_length=10, choices=StepStatus.choices, default=StepStatus.PENDING
    )
    started_on = models.DateField(_("started"), null=True, blank=True)
    due_on = models.DateField(_("deadline"), null=True, blank=True, db_index=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("application step")
        verbose_name_plural = _("application steps")
        ordering = ["application", "order", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.UniqueConstraint(fields=["application", "scheme_step"], name="one_step_per_scheme_step"),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(completed_at__isnull=False),
                name="foreign_step_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.scheme_step.name}"

    @property
    def kind(self) -> str:
        return self.scheme_step.kind

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == StepStatus.PENDING
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )


class LanguageTestResult(models.Model):
    """A sitting of the remote Kazakh A1 test (retakes allowed): every block must reach the
    scheme version's minimum."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="test_results")
    taken_on = models.DateField(_("taken on"))
    listening_percent = models.PositiveSmallIntegerField(
        _("listening, %"), validators=[MaxValueValidator(100)]
    )
    reading_percent = models.PositiveSmallIntegerField(_("reading, %"), validators=[MaxValueValidator(100)])
    passed = models.BooleanField(_("passed"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("language test result")
        verbose_name_plural = _("language test results")
        ordering = ["-taken_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(listening_percent__lte=100, reading_percent__lte=100),
                name="test_percent_at_most_100",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.taken_on}: {self.listening_percent}/{self.reading_percent}"


class ApplicationDocument(models.Model):
    """A kernel document attached to an application, for one of the scheme's required documents
    (or the uploaded offer letter)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(
        RequiredDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_offer_letter = models.BooleanField(_("job offer letter"), default=False)
    document = models.OneToOneField("core.Document", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.document_id}"


class Decision(models.Model):
    """A decision on an application (the first one, or one on appeal) with its reasons from the
    scheme version's list and the officer's own words; it names the rules it was taken under."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(_("outcome"), max_length=10, choices=DecisionReason.Outcome.choices)
    reasons = models.ManyToManyField(DecisionReason, verbose_name=_("reasons"), related_name="+")
    text = models.TextField(_("explanation"), blank=True)
    scheme_version = models.ForeignKey(SchemeVersion, on_delete=models.PROTECT, related_name="+")
    questionnaire = models.ForeignKey(
        Questionnaire, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveIntegerField(_("score"), null=True, blank=True)
    appeal = models.OneToOneField(
        "Appeal", null=True, blank=True, on_delete=models.PROTECT, related_name="decision"
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)
    appeal_until = models.DateField(_("appeal possible until"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.outcome}"


class Appeal(models.Model):
    """An administrative review of a refusal; decided by a migration officer other than the one
    who refused (`migration.sides.appeal_sides`, `migration.services.appeals`)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="appeals")
    refusal = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="appeals")
    status = models.CharField(
        _("status"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.LODGED
    )
    grounds = models.TextField(_("grounds"))
    lodged_at = models.DateTimeField(_("lodged"), default=timezone.now)
    due_on = models.DateField(_("decision due"), db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-lodged_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=Q(status="lodged"), name="one_open_appeal_per_application"
            ),
            models.UniqueConstraint(fields=["refusal"], name="one_appeal_per_refusal"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} appeal"


class AppealEvent(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=10, blank=True)
    to_status = models.CharField(_("to"), max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=_pairs_q(APPEAL_MOVES), name="foreign_appeal_transition_allowed")
        ]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"


# --- Cards -----------------------------------------------------------------------------------------------


class Card(models.Model):
    """What an approval issues (the Atameken card, a residence permit, the visa's number):
    valid for the scheme's maximum, never past the passport's expiry; void once revoked."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="card")
    number = models.CharField(_("number"), max_length=20, unique=True)
    holder_name = models.CharField(_("holder's name"), max_length=200)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=10, choices=CardStatus.choices, default=CardStatus.ACTIVE
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoke_reason = models.CharField(_("reason for revocation"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("card")
        verbose_name_plural = _("cards")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("issued_on")), name="card_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(status="active", revoked_at__isnull=True)
                | Q(status="revoked", revoked_at__isnull=False),
                name="card_revoked_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.number


# --- Invitation rounds -----------------------------------------------------------------------------------


class InvitationRound(models.Model):
    """A round of invitations from the points pool: the `places` highest-scoring eligible
    candidates of a field are invited; ties go to the earlier submission (then the lower
    application number), so running the same round on the same pool gives the same invitations."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Prepared")
        RUN = "run", _("Run")
        PUBLISHED = "published", _("Published")

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="rounds")
    centre = models.ForeignKey(
        "reference.Centre",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for a national round."),
    )
    field = models.CharField(_("field"), max_length=12, choices=Field.choices, blank=True)
    places = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    pool_size = models.PositiveIntegerField(_("candidates in the pool"), null=True, blank=True)
    invited_count = models.PositiveIntegerField(_("invited"), null=True, blank=True)
    cut_off_score = models.PositiveIntegerField(_("cut-off score"), null=True, blank=True)
    tie_rule = models.CharField(
        _("tie-break rule"), max_length=200, default="earlier-submission", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    run_at = models.DateTimeField(_("run"), null=True, blank=True)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation round")
        verbose_name_plural = _("invitation rounds")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(run_at__isnull=False, invited_count__isnull=False),
                name="round_run_has_results",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme_id} {self.field or '*'} {self.places}"


class RoundInvitation(models.Model):
    round = models.ForeignKey(InvitationRound, on_delete=models.CASCADE, related_name="invitations")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="invitations")
    rank = models.PositiveIntegerField(_("rank"))
    score = models.PositiveIntegerField(_("score"))

    class Meta:
        ordering = ["round", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["round", "rank"], name="one_invitation_per_rank"),
            models.UniqueConstraint(fields=["application"], name="one_invitation_per_application"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} #{self.rank}: {self.application_id}"


# --- The employer side -------------------------------------------------------------------------------


class ForeignOpening(models.Model):
    """A vacancy flagged open to foreign specialists, with the domestic-first evidence the
    employer saw first (registered seekers who match it, counts over the last 30 days)."""

    vacancy = models.OneToOneField(
        "exchange.Vacancy", on_delete=models.CASCADE, related_name="foreign_opening"
    )
    is_open = models.BooleanField(_("open to foreign specialists"), default=True)
    matching_seekers = models.PositiveIntegerField(_("matching registered seekers"))
    applications_30_days = models.PositiveIntegerField(_("applications in the last 30 days"))
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("vacancy open to foreign specialists")
        verbose_name_plural = _("vacancies open to foreign specialists")

    def __str__(self) -> str:
        return f"{self.vacancy_id} open={self.is_open}"


class ReportingDuty(models.Model):
    """An employer's duty to report on a sponsored specialist (started work, left), with its
    deadline in working days."""

    class Kind(models.TextChoices):
        STARTED = "started", _("The specialist started work")
        LEFT = "left", _("The specialist left")

    class Status(models.TextChoices):
        OPEN = "open", _("To do")
        DONE = "done", _("Reported")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="reporting_duties")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    due_on = models.DateField(_("deadline"), db_index=True)
    event_on = models.DateField(_("date of the event"), null=True, blank=True)
    done_at = models.DateTimeField(_("reported"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("reporting duty")
        verbose_name_plural = _("reporting duties")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="one_reporting_duty_per_kind"),
            models.CheckConstraint(
                condition=Q(status="open") | Q(done_at__isnull=False), name="duty_done_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind} by {self.due_on}"

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()
