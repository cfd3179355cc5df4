"""Proactive offers: a registry of scheduled rules that find people who qualify for something
they have not asked for, and offer it through the channels they consented to.

A rule is a function registered with `@offer_rule(code, template=…)` that yields
`OfferCandidate`s; `offers_run` keeps one `Offer` per (rule, person, subject) and writes each new
offer to the outbox. The skill-gap rule is here; the resettlement rule lives with the resettlement
rules (`mobility.resettlement.offers`, registered when that app is ready).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from mobility.notifications.models import Consent, Offer
from mobility.notifications.services import notify_many
from mobility.notifications.topics import Topic


@dataclass(frozen=True)
class OfferCandidate:
    person_id: int
    subject: str
    region_id: int | None = None
    # Kept on the offer (JSON values) and passed to the message.
    details: dict[str, Any] = field(default_factory=dict)
    # Passed to the message only: model instances are stored as references and read again when the
    # message is rendered (names in the recipient's language).
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OfferRule:
    code: str
    template: str
    find: Callable[[frozenset[int]], Iterable[OfferCandidate]]
    # Where "Yes" on the offer page leads after recording the take-up (the prefilled application).
    take_up_url: Callable[[Offer], str] | None = None


OFFER_RULES: dict[str, OfferRule] = {}


def offer_rule(
    code: str, *, template: str, take_up_url: Callable[[Offer], str] | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a finder: `find(people)` gets the ids of the people who consented to programme
    offers on some channel and yields the offers they qualify for. `take_up_url(offer)`, when
    given, is where the offer page sends the person once they take the offer up."""

    def register(find: Callable[[frozenset[int]], Iterable[OfferCandidate]]) -> Callable[..., Any]:
        OFFER_RULES[code] = OfferRule(code=code, template=template, find=find, take_up_url=take_up_url)
        return find

    return register


def take_up_url(offer: Offer) -> str | None:
    """Where taking up this offer leads (None: the offer page itself)."""
    rule = OFFER_RULES.get(offer.rule)
    return rule.take_up_url(offer) if rule is not None and rule.take_up_url is not None else None


def consenting_people() -> frozenset[int]:
    return frozenset(
        Consent.objects.filter(topic=Topic.PROGRAMME_OFFERS, granted=True).values_list("person_id", flat=True)
    )


def offers_run(*, rules: Iterable[str] | None = None, now: dt.datetime | None = None) -> dict[str, int]:
    """Run the rules; returns the number of new offers per rule."""
    now = now or timezone.now()
    people = consenting_people()
    made: dict[str, int] = {}
    for code in rules or list(OFFER_RULES):
        rule = OFFER_RULES[code]
        made[code] = _offer_all(rule, [c for c in rule.find(people) if c.person_id in people], now)
    return made


def _offer_all(rule: OfferRule, candidates: list[OfferCandidate], now: dt.datetime) -> int:
    from mobility.accounts.models import User

    keys = {f"{rule.code}:{c.person_id}:{c.subject}": c for c in candidates}
    known = set()
    key_list = list(keys)
    for start in range(0, len(key_list), 5000):
        known |= set(
            Offer.objects.filter(key__in=key_list[start : start + 5000]).values_list("key", flat=True)
        )
    fresh = [(k, c) for k, c in keys.items() if k not in known]
    people = User.objects.in_bulk([c.person_id for _k, c in fresh])
    made = 0
    for chunk in _chunks(fresh, 500):
        with transaction.atomic():
            offers = Offer.objects.bulk_create(
                [
                    Offer(
                        person_id=c.person_id,
                        rule=rule.code,
                        subject=c.subject[:200],
                        key=k,
                        region_id=c.region_id,
                        details=c.details,
                        created_at=now,
                    )
                    for k, c in chunk
                ],
                ignore_conflicts=True,
            )
            keys_made = [o.key for o in offers]
            created = {o.key: o for o in Offer.objects.filter(key__in=keys_made, created_at=now)}
            items = [
                (
                    people[c.person_id],
                    {"offer": created[k], **c.details, **c.context},
                    f"offer:{created[k].pk}",
                )
                for k, c in chunk
                if k in created
            ]
            notify_many(topic=Topic.PROGRAMME_OFFERS, template=rule.template, items=items)
            made += len(items)
    return made


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- Rule: one training away from many vacancies --------------------------------------------------

SKILL_GAP_MIN_VACANCIES = 3


@offer_rule("skill_gap", template="offer_skill_gap")
def skill_gap(people: frozenset[int]) -> Iterator[OfferCandidate]:
    """Seekers for whom one missing required skill stands between them and at least
    SKILL_GAP_MIN_VACANCIES published vacancies of an occupation they want: training in that
    skill is the offer."""
    from mobility.exchange.models import SeekerProfile, SeekerSkill, Vacancy, VacancySkill

    required: dict[int, set[str]] = defaultdict(set)
    for vid, name in VacancySkill.objects.filter(
        vacancy__status=Vacancy.Status.PUBLISHED, required=True
    ).values_list("vacancy_id", "name"):
        required[vid].add(name.casefold())
    by_occupation: dict[int, list[int]] = defaultdict(list)
    for vid, occupation in Vacancy.objects.filter(
        status=Vacancy.Status.PUBLISHED, occupation__isnull=False
    ).values_list("id", "occupation_id"):
        if required.get(vid):
            by_occupation[occupation].append(vid)
    if not by_occupation:
        return
    profiles = (
        SeekerProfile.objects.filter(user_id__in=people)
        if len(people) < 50_000
        else SeekerProfile.objects.all()
    )
    wanted: dict[int, list[int]] = defaultdict(list)
    for pid, occupation in SeekerProfile.desired_occupations.through.objects.filter(
        seekerprofile__in=profiles, occupation_id__in=list(by_occupation)
    ).values_list("seekerprofile_id", "occupation_id"):
        wanted[pid].append(occupation)
    skills: dict[int, set[str]] = defaultdict(set)
    for pid, name in SeekerSkill.objects.filter(profile_id__in=list(wanted)).values_list(
        "profile_id", "name"
    ):
        skills[pid].add(name.casefold())
    owners = dict(profiles.filter(pk__in=list(wanted)).values_list("pk", "user_id"))
    regions = dict(profiles.filter(pk__in=list(wanted)).values_list("pk", "region_id"))
    for pid, occupations in wanted.items():
        user_id = owners.get(pid)
        if user_id is None or user_id not in people:
            continue
        have = skills[pid]
        gaps: Counter[str] = Counter()
        for occupation in occupations:
            for vid in by_occupation[occupation]:
                missing = required[vid] - have
                if len(missing) == 1:
                    gaps[next(iter(missing))] += 1
        if not gaps:
            continue
        skill, count = max(gaps.items(), key=lambda kv: (kv[1], kv[0]))
        if count >= SKILL_GAP_MIN_VACANCIES:
            yield OfferCandidate(
                person_id=user_id,
                subject=skill,
                region_id=regions.get(pid),
                details={"skill": skill, "vacancies": count},
            )
