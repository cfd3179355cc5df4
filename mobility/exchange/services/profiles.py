"""Seeker profiles: create, edit, skills."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.models import IndexChange
from matching.services import index_touch, skill_resolve
from mobility.accounts.models import User
from mobility.core.audit import audit_changes, audit_log, audit_snapshot
from mobility.exchange.models import (
    Education,
    SeekerProfile,
    SeekerSkill,
    WorkExperience,
)

PROFILE_FIELDS = (
    "region",
    "settlement",
    "headline",
    "about",
    "languages",
    "education_level",
    "will_relocate",
    "expected_salary",
    "employment_type",
    "schedule",
    "visibility",
)


@transaction.atomic
def profile_create(*, user: User, **data: Any) -> SeekerProfile:
    """Make a person a job seeker."""
    if SeekerProfile.objects.filter(user=user).exists():
        raise ValidationError(_("This person already has a job-seeker profile."))
    desired_regions = data.pop("desired_regions", None)
    desired_occupations = data.pop("desired_occupations", None)
    profile = SeekerProfile(user=user, **{k: v for k, v in data.items() if k in PROFILE_FIELDS})
    if profile.visibility != SeekerProfile.Visibility.HIDDEN:
        profile.consent_at = timezone.now()
    profile.full_clean()
    profile.save()
    if desired_regions is not None:
        profile.desired_regions.set(desired_regions)
    if desired_occupations is not None:
        profile.desired_occupations.set(desired_occupations)
    audit_log(actor=user, action="seeker.profile_created", obj=profile)
    index_touch(IndexChange.Kind.SEEKER, profile.pk)
    return profile


# What a profile edit records field by field in the audit trail (old and new values).
PROFILE_AUDITED = tuple(f for f in PROFILE_FIELDS if f != "visibility") + (
    "desired_regions",
    "desired_occupations",
)


@transaction.atomic
def profile_update(*, profile: SeekerProfile, by: User, **data: Any) -> SeekerProfile:
    """Change profile fields; publishing (leaving "hidden") records the consent moment.

    The audit trail gets the old and new value of each changed field; a change of visibility
    is its own entry (from and to), as the employer-facing consent depends on it.
    """
    desired_regions = data.pop("desired_regions", None)
    desired_occupations = data.pop("desired_occupations", None)
    # The stored state, not the instance's: a ModelForm bound to it has already changed it.
    stored = SeekerProfile.objects.select_for_update().get(pk=profile.pk)
    # Scalar fields always (a ModelForm may have set them on `profile` already); the
    # many-to-many ones when given.
    audited = [
        f
        for f in PROFILE_AUDITED
        if not stored._meta.get_field(f).many_to_many
        or (f == "desired_regions" and desired_regions is not None)
        or (f == "desired_occupations" and desired_occupations is not None)
    ]
    previous = audit_snapshot(stored, audited)
    before = stored.visibility
    for key, value in data.items():
        if key in PROFILE_FIELDS:
            setattr(profile, key, value)
    # Every publication is a fresh consent: record it each time the profile leaves "hidden".
    if profile.visibility != SeekerProfile.Visibility.HIDDEN and (
        profile.consent_at is None or before == SeekerProfile.Visibility.HIDDEN
    ):
        profile.consent_at = timezone.now()
    profile.updated_at = timezone.now()
    profile.full_clean()
    profile.save()
    if desired_regions is not None:
        profile.desired_regions.set(desired_regions)
    if desired_occupations is not None:
        profile.desired_occupations.set(desired_occupations)
    changes = audit_changes(previous, profile, audited)
    if changes:
        audit_log(actor=by, action="seeker.profile_updated", obj=profile, changes=changes)
    if before != profile.visibility:
        audit_log(
            actor=by,
            action="seeker.visibility_changed",
            obj=profile,
            from_state=before,
            to_state=profile.visibility,
            changes={"visibility": [before, profile.visibility]},
        )
    index_touch(IndexChange.Kind.SEEKER, profile.pk)
    return profile


@transaction.atomic
def profile_set_skills(
    *, profile: SeekerProfile, skills: Sequence[tuple[str, int]], by: User
) -> list[SeekerSkill]:
    """Replace the skill list: (name as typed or picked, level). Names are linked to the
    taxonomy where a label matches; the text is kept either way."""
    previous = sorted(f"{name} ({level})" for name, level in profile.skills.values_list("name", "level"))
    profile.skills.all().delete()
    created = []
    seen: set[str] = set()
    for name, level in skills:
        name = " ".join(name.split())[:200]
        if not name or name.casefold() in seen:
            continue
        seen.add(name.casefold())
        row = SeekerSkill(profile=profile, skill=skill_resolve(name), name=name, level=level)
        row.full_clean()  # the level must be on the scale
        row.save()
        created.append(row)
    profile.updated_at = timezone.now()
    profile.save(update_fields=["updated_at"])
    current = sorted(f"{row.name} ({row.level})" for row in created)
    if current != previous:
        audit_log(
            actor=by, action="seeker.skills_updated", obj=profile, changes={"skills": [previous, current]}
        )
    index_touch(IndexChange.Kind.SEEKER, profile.pk)
    return created


EXPERIENCE_FIELDS = ("title", "employer_name", "started_on", "ended_on", "description")
EDUCATION_FIELDS = ("level", "institution", "speciality", "year_completed")


def _background(profile: SeekerProfile) -> dict[str, list[str]]:
    """The experience and education lists as the audit trail compares them (one line each)."""
    return {
        "experience": [
            " | ".join(str(v or "") for v in row)
            for row in WorkExperience.objects.filter(profile=profile)
            .order_by("pk")
            .values_list(*EXPERIENCE_FIELDS)
        ],
        "education": [
            " | ".join(str(v or "") for v in row)
            for row in Education.objects.filter(profile=profile).order_by("pk").values_list(*EDUCATION_FIELDS)
        ],
    }


@transaction.atomic
def profile_background_set(
    *,
    profile: SeekerProfile,
    experience: Sequence[Mapping[str, Any]],
    education: Sequence[Mapping[str, Any]],
    by: User,
) -> None:
    """Make the person's work experience and education these rows: a row with the `id` of an
    existing one changes it, one without adds a row, and existing rows not given are removed.
    The audit trail gets both lists before and after."""
    before = _background(profile)
    for model, rows, fields in (
        (WorkExperience, experience, EXPERIENCE_FIELDS),
        (Education, education, EDUCATION_FIELDS),
    ):
        existing: dict[Any, Any] = {obj.pk: obj for obj in model.objects.filter(profile=profile)}
        kept = []
        for row in rows:
            obj = existing.get(row.get("id")) or model(profile=profile)
            for name in fields:
                setattr(
                    obj,
                    name,
                    row.get(name, "" if name in ("employer_name", "description", "speciality") else None),
                )
            obj.full_clean()
            obj.save()
            kept.append(obj.pk)
        model.objects.filter(profile=profile).exclude(pk__in=kept).delete()
    after = _background(profile)
    profile.updated_at = timezone.now()
    profile.save(update_fields=["updated_at"])
    changes = {name: [before[name], after[name]] for name in before if before[name] != after[name]}
    if changes:
        audit_log(actor=by, action="seeker.background_updated", obj=profile, changes=changes)
    index_touch(IndexChange.Kind.SEEKER, profile.pk)
