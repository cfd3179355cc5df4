"""The occupation and skills taxonomy as the service stores it.

Occupations are coded by ISCO-08 (Kazakhstan's НКЗ follows it) and hang off the group
hierarchy; skills link to occupations as essential or optional; every concept carries
labels in any number of languages. ESCO content is imported at run time (`import_esco`);
the project's own kk/ru labels and starter taxonomy come from `matching/data/`; staff add
synonyms in the admin. The matcher reads all of it through `matching.services`.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    PROJECT = "project", _("Project data")
    ESCO = "esco", _("ESCO")
    MELO = "melo", _("ESCO labels in other languages (MELO)")
    STAFF = "staff", _("Added by staff")


class Labelled(models.Model):
    """A concept with labels; `label()` picks the active language's preferred one."""

    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        abstract = True

    def label(self, lang: str | None = None) -> str:
        lang = (lang or get_language() or "kk")[:2]
        labels = list(self.labels.all())  # type: ignore[attr-defined]
        for wanted in (lang, "ru", "en", "kk"):
            preferred = [x for x in labels if x.lang == wanted and x.preferred]
            if preferred:
                return preferred[0].text
            any_label = [x for x in labels if x.lang == wanted]
            if any_label:
                return any_label[0].text
        return labels[0].text if labels else str(self.pk)


class IscoGroup(Labelled):
    code = models.CharField(_("ISCO-08 code"), max_length=4, unique=True)
    level = models.PositiveSmallIntegerField(_("level"))  # 1 major … 4 unit group
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("ISCO-08 group")
        verbose_name_plural = _("ISCO-08 groups")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=4), name="isco_level_1_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label()}"


class Occupation(Labelled):
    uri = models.CharField(_("identifier (ESCO URI or project key)"), max_length=200, unique=True)
    isco_group = models.ForeignKey(
        IscoGroup,
        verbose_name=_("ISCO-08 unit group"),
        on_delete=models.PROTECT,
        related_name="occupations",
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    skills: models.ManyToManyField[Skill, OccupationSkill] = models.ManyToManyField(
        "Skill", through="OccupationSkill", related_name="occupations"
    )

    class Meta:
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")
        ordering = ["isco_group__code", "id"]

    def __str__(self) -> str:
        return f"{self.isco_group.code} {self.label()}"

    @property
    def code(self) -> str:
        return self.isco_group.code


class Skill(Labelled):
    class Type(models.TextChoices):
        SKILL = "skill", _("Skill or competence")
        KNOWLEDGE = "knowledge", _("Knowledge")

    uri = models.CharField(_("identifier (ESCO URI or project key)"), max_length=200, unique=True)
    skill_type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.SKILL)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.label()


class OccupationSkill(models.Model):
    class Relation(models.TextChoices):
        ESSENTIAL = "essential", _("Essential")
        OPTIONAL = "optional", _("Optional")

    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="skill_links")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="occupation_links")
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)

    class Meta:
        verbose_name = _("occupation skill")
        verbose_name_plural = _("occupation skills")
        constraints = [
            models.UniqueConstraint(fields=["occupation", "skill"], name="one_link_per_occupation_skill")
        ]

    def __str__(self) -> str:
        return f"{self.occupation_id} → {self.skill_id} ({self.relation})"


class Label(models.Model):
    """One label of a concept in one language; `search_key` is its folded form for lookups."""

    lang = models.CharField(_("language"), max_length=8, db_index=True)
    text = models.CharField(_("label"), max_length=300)
    preferred = models.BooleanField(_("preferred"), default=False)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.STAFF)
    # Labels the project wrote itself (matching/data) stay unreviewed until a native speaker
    # confirms them in the admin; ESCO's and staff's own labels count as reviewed.
    reviewed = models.BooleanField(
        _("reviewed by a native speaker"),
        default=True,
        help_text=_("Untick for a label that a native speaker has not yet confirmed."),
    )
    search_key = models.CharField(max_length=300, db_index=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["lang", "-preferred", "text"]

    def __str__(self) -> str:
        return f"[{self.lang}] {self.text}"


class IscoGroupLabel(Label):
    concept = models.ForeignKey(IscoGroup, on_delete=models.CASCADE, related_name="labels")

    class Meta(Label.Meta):
        verbose_name = _("ISCO group label")
        verbose_name_plural = _("ISCO group labels")
        constraints = [
            models.UniqueConstraint(fields=["concept", "lang", "text"], name="one_isco_label_per_text")
        ]


class OccupationLabel(Label):
    concept = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="labels")

    class Meta(Label.Meta):
        verbose_name = _("occupation label")
        verbose_name_plural = _("occupation labels")
        constraints = [
            models.UniqueConstraint(fields=["concept", "lang", "text"], name="one_occupation_label_per_text")
        ]


class SkillLabel(Label):
    concept = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="labels")

    class Meta(Label.Meta):
        verbose_name = _("skill label")
        verbose_name_plural = _("skill labels")
        constraints = [
            models.UniqueConstraint(fields=["concept", "lang", "text"], name="one_skill_label_per_text")
        ]


class IndexChange(models.Model):
    """Outbox of records whose index entry must be refreshed.

    Written in the same transaction as the change itself, so no change is ever lost; every
    web process replays the rows newer than its index on its next ranking request, and the
    periodic rebuild folds them into a fresh artifact.
    """

    class Kind(models.TextChoices):
        VACANCY = "vacancy", _("Vacancy")
        SEEKER = "seeker", _("Job-seeker profile")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("index change")
        verbose_name_plural = _("index changes")
        indexes = [models.Index(fields=["kind", "id"]), models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


def _pseudonym() -> str:
    return secrets.token_hex(16)


class FeedbackSubject(models.Model):
    """A seeker as the feedback knows them: a random pseudonym. When the profile is deleted the
    link is cut (SET_NULL, whatever deletes it) and the rows keep only the pseudonym, so what was
    learnt from them stays learnable and no longer points at a person."""

    profile = models.OneToOneField(
        "exchange.SeekerProfile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pseudonym = models.CharField(max_length=32, unique=True, default=_pseudonym, editable=False)

    class Meta:
        verbose_name = _("feedback subject")
        verbose_name_plural = _("feedback subjects")

    def __str__(self) -> str:
        return self.pseudonym


class MatchFeedback(models.Model):
    """What the matcher showed and what happened after: the material to learn ranking weights from.

    One row per impression (a result shown to someone, where, at which rank, with the score and
    its components) and per outcome (viewed, applied, invited, shortlisted, interview, offer,
    hired, rejected with its reason, withdrawn), outcomes carrying the components of the pair's
    latest impression. `subject` is the seeker's pseudonym; `seeker` is cut when the profile goes.
    """

    class Event(models.TextChoices):
        SHOWN = "shown", _("Shown")
        VIEWED = "viewed", _("Viewed")
        APPLIED = "applied", _("Applied")
        INVITED = "invited", _("Invited")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        INTERVIEW = "interview", _("Interview")
        OFFER = "offer", _("Offer")
        HIRED = "hired", _("Hired")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Direction(models.TextChoices):
        SEEKER_TO_VACANCY = "s2v", _("Vacancies shown to a seeker")
        VACANCY_TO_SEEKER = "v2s", _("Candidates shown for a vacancy")

    seeker = models.ForeignKey(
        "exchange.SeekerProfile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.ForeignKey(
        FeedbackSubject, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback"
    )
    vacancy = models.ForeignKey(
        "exchange.Vacancy", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    event = models.CharField(max_length=12, choices=Event.choices)
    reason = models.CharField(max_length=300, blank=True)
    direction = models.CharField(max_length=3, choices=Direction.choices, blank=True)
    surface = models.CharField(max_length=30, blank=True)  # where: "for_me", "candidates", "api", ...
    rank = models.PositiveIntegerField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)  # the ranking score
    calibrated = models.PositiveSmallIntegerField(null=True, blank=True)  # the 0-100 score shown
    components = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("match outcome")
        verbose_name_plural = _("match outcomes")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["seeker", "vacancy", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.event} {self.seeker_id}/{self.vacancy_id}"


class CoverageSnapshot(models.Model):
    """Match coverage, computed in the background (`tasks.coverage_snapshot`) for the staff
    dashboard: one row per (side, region, occupation group, language) with how many records
    there are and how many have at least `wanted` matches at or above `threshold`."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    threshold = models.PositiveSmallIntegerField()
    wanted = models.PositiveSmallIntegerField(default=5)
    rows = models.JSONField(default=list)  # [{"side", "region", "group", "lang", "total", "covered"}]
    seconds = models.FloatField(default=0.0)

    class Meta:
        verbose_name = _("match coverage snapshot")
        verbose_name_plural = _("match coverage snapshots")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M}"
