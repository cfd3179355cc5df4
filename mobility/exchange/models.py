"""The labour exchange: seeker profiles, registrations, vacancies, applications.

Invariants live in the database where they can: one open application per seeker and
vacancy, only the allowed status transitions in an application's history, salary ranges
ordered, filled positions never above the positions offered, one active registration.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mobility.core.models import WorkflowEvent
from mobility.core.workflow import EMPLOYER, SEEKER, STAFF, SYSTEM, Workflow, move


class Schedule(models.TextChoices):
    FULL_DAY = "full_day", _("Full day")
    SHIFT = "shift", _("Shift work")
    ROTATION = "rotation", _("Rotation (vakhta)")
    FLEXIBLE = "flexible", _("Flexible hours")
    REMOTE = "remote", _("Remote")


class EmploymentType(models.TextChoices):
    PERMANENT = "permanent", _("Permanent")
    TEMPORARY = "temporary", _("Temporary")
    SEASONAL = "seasonal", _("Seasonal")
    PART_TIME = "part_time", _("Part-time")
    INTERNSHIP = "internship", _("Internship or first job")


class EducationLevel(models.TextChoices):
    SECONDARY = "secondary", _("General secondary")
    VOCATIONAL = "vocational", _("Technical and vocational")
    HIGHER = "higher", _("Higher (bachelor)")
    POSTGRADUATE = "postgraduate", _("Postgraduate")


LANGUAGE_CHOICES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]


class SeekerProfile(models.Model):
    """A job seeker: what they can do, what they want, and who may see it."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Visible to employers")
        ANONYMOUS = "anonymous", _("Visible without my name and contacts")
        HIDDEN = "hidden", _("Hidden from employers")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seeker_profile"
    )
    region = models.ForeignKey(
        "reference.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    settlement = models.CharField(_("city or village"), max_length=120, blank=True)
    headline = models.CharField(
        _("desired position"),
        max_length=200,
        blank=True,
        help_text=_("For example: accountant, welder, nurse."),
    )
    about = models.TextField(_("about me"), blank=True)
    languages = models.JSONField(_("languages I speak"), default=list, blank=True)
    education_level = models.CharField(
        _("education"), max_length=20, choices=EducationLevel.choices, blank=True
    )
    desired_occupations = models.ManyToManyField(
        "matching.Occupation", verbose_name=_("desired occupations"), blank=True, related_name="+"
    )
    desired_regions = models.ManyToManyField(
        "reference.Region", verbose_name=_("regions where I would work"), blank=True, related_name="+"
    )
    will_relocate = models.BooleanField(_("ready to move to another region"), default=False)
    expected_salary = models.PositiveIntegerField(_("expected monthly salary, ₸"), null=True, blank=True)
    employment_type = models.CharField(
        _("employment type"), max_length=20, choices=EmploymentType.choices, blank=True
    )
    schedule = models.CharField(_("schedule"), max_length=20, choices=Schedule.choices, blank=True)
    visibility = models.CharField(
        _("who can see my profile"), max_length=10, choices=Visibility.choices, default=Visibility.HIDDEN
    )
    consent_at = models.DateTimeField(_("consent to publish given"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("job-seeker profile")
        verbose_name_plural = _("job-seeker profiles")
        constraints = [
            # Publishing a profile needs the person's explicit consent.
            models.CheckConstraint(
                condition=Q(visibility="hidden") | Q(consent_at__isnull=False),
                name="visible_profile_has_consent",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)


class SeekerSkill(models.Model):
    class Level(models.IntegerChoices):
        BASIC = 1, _("Basic")
        INTERMEDIATE = 2, _("Intermediate")
        ADVANCED = 3, _("Advanced")
        EXPERT = 4, _("Expert")

    profile = models.ForeignKey(SeekerProfile, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(
        "matching.Skill", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("skill"), max_length=200)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, default=Level.INTERMEDIATE)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["-level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "name"], name="one_skill_name_per_profile"),
        ]

    def __str__(self) -> str:
        return self.name


class WorkExperience(models.Model):
    profile = models.ForeignKey(SeekerProfile, on_delete=models.CASCADE, related_name="experience")
    title = models.CharField(_("position"), max_length=200)
    employer_name = models.CharField(_("employer"), max_length=200, blank=True)
    occupation = models.ForeignKey(
        "matching.Occupation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(
        _("to"), null=True, blank=True, help_text=_("Leave empty if you still work there.")
    )
    description = models.TextField(_("what I did"), blank=True)

    class Meta:
        verbose_name = _("work experience")
        verbose_name_plural = _("work experience")
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="experience_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Education(models.Model):
    profile = models.ForeignKey(SeekerProfile, on_delete=models.CASCADE, related_name="education")
    level = models.CharField(_("level"), max_length=20, choices=EducationLevel.choices)
    institution = models.CharField(_("institution"), max_length=200)
    speciality = models.CharField(_("speciality"), max_length=200, blank=True)
    year_completed = models.PositiveSmallIntegerField(_("year completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("education")
        verbose_name_plural = _("education")
        ordering = ["-year_completed"]

    def __str__(self) -> str:
        return self.institution


class Registration(models.Model):
    """A person's registration at a career centre as a job seeker or as unemployed."""

    class Kind(models.TextChoices):
        JOB_SEEKER = "job_seeker", _("Job seeker")
        UNEMPLOYED = "unemployed", _("Unemployed")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    profile = models.ForeignKey(SeekerProfile, on_delete=models.PROTECT, related_name="registrations")
    centre = models.ForeignKey("reference.Centre", on_delete=models.PROTECT, related_name="registrations")
    kind = models.CharField(_("registered as"), max_length=12, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    registered_on = models.DateField(_("registered on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-registered_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile"], condition=Q(status="active"), name="one_active_registration"
            ),
            models.CheckConstraint(
                condition=Q(status="active", ended_on__isnull=True)
                | Q(status="ended", ended_on__isnull=False, ended_on__gte=F("registered_on")),
                name="registration_end_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.registered_on}"


class Vacancy(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="vacancies"
    )
    external_id = models.CharField(_("external id"), max_length=100, null=True, blank=True)
    occupation = models.ForeignKey(
        "matching.Occupation",
        verbose_name=_("occupation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vacancies",
    )
    title = models.CharField(_("job title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    salary_min = models.PositiveIntegerField(_("salary from, ₸"), null=True, blank=True)
    salary_max = models.PositiveIntegerField(_("salary up to, ₸"), null=True, blank=True)
    region = models.ForeignKey(
        "reference.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="vacancies"
    )
    settlement = models.CharField(_("city or village"), max_length=120, blank=True)
    schedule = models.CharField(
        _("schedule"), max_length=20, choices=Schedule.choices, default=Schedule.FULL_DAY
    )
    employment_type = models.CharField(
        _("employment type"), max_length=20, choices=EmploymentType.choices, default=EmploymentType.PERMANENT
    )
    languages = models.JSONField(_("languages required"), default=list, blank=True)
    positions = models.PositiveSmallIntegerField(_("positions"), default=1)
    positions_filled = models.PositiveSmallIntegerField(_("positions filled"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    housing_offered = models.BooleanField(_("housing offered"), default=False)
    open_to_resettlers = models.BooleanField(_("open to resettlers from other regions"), default=True)
    open_to_foreigners = models.BooleanField(_("open to foreign specialists"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    expires_on = models.DateField(_("open until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "region", "-published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_max__gte=F("salary_min")),
                name="vacancy_salary_ordered",
            ),
            models.CheckConstraint(condition=Q(positions__gte=1), name="vacancy_has_positions"),
            models.CheckConstraint(
                condition=Q(positions_filled__lte=F("positions")), name="vacancy_not_overfilled"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_vacancy_has_date",
            ),
            models.UniqueConstraint(
                fields=["organisation", "external_id"], name="one_vacancy_per_external_id"
            ),
        ]

    def __str__(self) -> str:
        return self.title


# Employers publish, pause, close and re-open; the system closes (expiry, last position filled).
VACANCY_WORKFLOW = Workflow(
    name="vacancy",
    states=Vacancy.Status,
    moves=(
        move("draft", "published", EMPLOYER),
        move("draft", "closed", EMPLOYER),
        move("published", "paused", EMPLOYER),
        move("published", "closed", EMPLOYER, SYSTEM),
        move("paused", "published", EMPLOYER),
        move("paused", "closed", EMPLOYER, SYSTEM),
        move("closed", "published", EMPLOYER),
    ),
    refused=_("A vacancy cannot go from “%(from)s” to “%(to)s”."),
    not_your_side=_("Only the employer can change this vacancy's status."),
    reasons={"all positions filled": _("All positions filled"), "expired": _("The closing date has passed")},
)


class VacancySkill(models.Model):
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(
        "matching.Skill", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("skill"), max_length=200)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("vacancy skill")
        verbose_name_plural = _("vacancy skills")
        ordering = ["-required", "name"]
        constraints = [models.UniqueConstraint(fields=["vacancy", "name"], name="one_skill_name_per_vacancy")]

    def __str__(self) -> str:
        return self.name


class ApplicationStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    APPLIED = "applied", _("Applied")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    INTERVIEW = "interview", _("Interview")
    OFFER = "offer", _("Offer")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


CLOSED_STATUSES = ("hired", "rejected", "withdrawn")

# The one state machine both sides share, with who makes each move. "" is the start: a seeker
# applies (or the centre refers them), an employer invites. Invited → applied is the seeker
# accepting the invitation (it shares their contacts with the employer).
APPLICATION_WORKFLOW = Workflow(
    name="application",
    states=ApplicationStatus,
    moves=(
        move("", "invited", EMPLOYER),
        move("", "applied", SEEKER, STAFF),
        move("invited", "applied", SEEKER),
        move("invited", "rejected", EMPLOYER, reason_required=True),
        move("invited", "withdrawn", SEEKER),
        *(
            m
            for source, forward in (
                ("applied", ("shortlisted", "interview", "offer")),
                ("shortlisted", ("interview", "offer")),
                ("interview", ("offer",)),
                ("offer", ("hired",)),
            )
            for m in (
                *(move(source, target, EMPLOYER) for target in forward),
                move(source, "rejected", EMPLOYER, reason_required=True),
                move(source, "withdrawn", SEEKER),
            )
        ),
    ),
    refused=_("An application cannot go from “%(from)s” to “%(to)s”."),
    reason_needed=_("Say why the application is rejected."),
    not_your_side=_("Your side of the application cannot make this change."),
    reasons={
        "invited": _("Invited by the employer"),
        "invitation_accepted": _("Invitation accepted"),
        "invitation_declined": _("Invitation declined"),
        "withdrawn_by_seeker": _("Withdrawn by the job seeker"),
        "referral by the career centre": _("Referred by the career centre"),
    },
)


class Application(models.Model):
    seeker = models.ForeignKey(SeekerProfile, on_delete=models.CASCADE, related_name="applications")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="applications")
    status = models.CharField(_("status"), max_length=12, choices=ApplicationStatus.choices)
    cover_note = models.TextField(_("cover note"), blank=True)
    contacts_shared = models.BooleanField(_("contacts shared with the employer"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["seeker", "vacancy"],
                condition=~Q(status__in=CLOSED_STATUSES),
                name="one_open_application_per_seeker_vacancy",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seeker} → {self.vacancy} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES


class ApplicationEvent(WorkflowEvent):
    """One step of an application's history; the database refuses a step the state machine
    does not allow."""

    workflow = APPLICATION_WORKFLOW

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        constraints = [
            models.CheckConstraint(
                condition=APPLICATION_WORKFLOW.check_constraint_q("from_status", "to_status"),
                name="application_transition_allowed",
            ),
        ]


class Interview(models.Model):
    """An interview the employer set for an application in the "interview" status: when (aware,
    shown in Asia/Almaty), where (an address or a link) and a note for the candidate. Moving it
    keeps the row and counts `revision` (each version notifies the candidate once); cancelling
    keeps it as cancelled, and a new one may be set. Every change is audited by the service
    (`application_interview_schedule`, `application_interview_cancel`)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="interviews")
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place or link"), max_length=300, blank=True)
    note = models.TextField(_("note for the candidate"), blank=True, max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status="scheduled"),
                name="one_scheduled_interview_per_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} @ {self.starts_at:%Y-%m-%d %H:%M}"


class SavedSearch(models.Model):
    """A search (or the "for me" list) a seeker keeps; new hits are collected for alerts."""

    class Kind(models.TextChoices):
        SEARCH = "search", _("Search")
        FOR_ME = "for_me", _("Vacancies for me")

    profile = models.ForeignKey(SeekerProfile, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SEARCH)
    params = models.JSONField(_("search parameters"), default=dict, blank=True)
    alerts = models.BooleanField(_("collect new vacancies for alerts"), default=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class SavedSearchHit(models.Model):
    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="hits")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="+")
    found_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["saved_search", "vacancy"], name="one_hit_per_vacancy")
        ]

    def __str__(self) -> str:
        return f"{self.saved_search_id}:{self.vacancy_id}"
