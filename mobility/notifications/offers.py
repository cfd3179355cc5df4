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

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
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


def consenting_people_query() -> QuerySet[Consent, int]:
    """The ids of the people who consented to programme offers on some channel, as a subquery
    (a rule filters its tables by it in SQL instead of sending tens of thousands of ids)."""
    return (
        Consent.objects.filter(topic=Topic.PROGRAMME_OFFERS, granted=True)
        .values_list("person_id", flat=True)
        .distinct()
    )


def consenting_people() -> frozenset[int]:
    return frozenset(consenting_people_query())


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
    # Only what the messages need of each person: their id and language.
    people = User.objects.only("id", "language").in_bulk([c.person_id for _k, c in fresh])
    made = 0
    for chunk in _chunks(fresh, CHUNK):
        with transaction.atomic():
            created = _offers_create(rule, chunk, now)
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


CHUNK = 2000  # offers written (and their messages queued) per transaction


def _offers_create(
    rule: OfferRule, chunk: list[tuple[str, OfferCandidate]], now: dt.datetime
) -> dict[str, Offer]:
    """Write a chunk of new offers; returns them by key. The keys were checked just before, so
    one insert returns them with their ids; a run racing this one (the unique key refuses its
    twins) falls back to skipping what exists and reading back what this run wrote."""
    rows = [
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
    ]
    try:
        with transaction.atomic():
            offers = Offer.objects.bulk_create(rows)
        if all(o.pk for o in offers):
            return {o.key: o for o in offers}
    except IntegrityError:
        Offer.objects.bulk_create(rows, ignore_conflicts=True)
    keys_made = [k for k, _c in chunk]
    return {o.key: o for o in Offer.objects.filter(key__in=keys_made, created_at=now)}


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- Rule: one training away from many vacancies --------------------------------------------------

SKILL_GAP_MIN_VACANCIES = 3


@offer_rule("skill_gap", template="offer_skill_gap")
def skill_gap(people: frozenset[int]) -> Iterator[OfferCandidate]:
    """Seekers for whom one missing required skill stands between them and at least
    SKILL_GAP_MIN_VACANCIES published vacancies of an occupation they want: training in that
    skill is the offer.

    Skills compare as the taxonomy skill the services linked them to (so "welding" and "сварка"
    are one skill), or by name when none was found. Six queries whatever the number of seekers;
    vacancies with the same requirements are compared once."""
    from mobility.exchange.models import SeekerProfile, SeekerSkill, Vacancy, VacancySkill

    def key(skill_id: int | None, name: str) -> str:
        return f"#{skill_id}" if skill_id else name.casefold()

    required: dict[int, set[str]] = defaultdict(set)
    label: dict[str, str] = {}
    for vid, skill_id, name in VacancySkill.objects.filter(
        vacancy__status=Vacancy.Status.PUBLISHED, required=True
    ).values_list("vacancy_id", "skill_id", "name"):
        required[vid].add(key(skill_id, name))
        label.setdefault(key(skill_id, name), name)
    # occupation -> each distinct set of required skills -> how many vacancies ask exactly that
    by_occupation: dict[int, Counter[frozenset[str]]] = defaultdict(Counter)
    for vid, occupation in Vacancy.objects.filter(
        status=Vacancy.Status.PUBLISHED, occupation__isnull=False
    ).values_list("id", "occupation_id"):
        if required.get(vid):
            by_occupation[occupation][frozenset(required[vid])] += 1
    if not by_occupation:
        return
    consenting = SeekerProfile.objects.filter(user_id__in=consenting_people_query())
    owners = {
        pid: (user_id, region_id)
        for pid, user_id, region_id in consenting.values_list("pk", "user_id", "region_id")
    }
    wanted: dict[int, list[int]] = defaultdict(list)
    for pid, occupation in SeekerProfile.desired_occupations.through.objects.filter(
        seekerprofile__in=consenting, occupation_id__in=list(by_occupation)
    ).values_list("seekerprofile_id", "occupation_id"):
        wanted[pid].append(occupation)
    skills: dict[int, set[str]] = defaultdict(set)
    for pid, skill_id, name in SeekerSkill.objects.filter(profile__in=consenting).values_list(
        "profile_id", "skill_id", "name"
    ):
        skills[pid].add(key(skill_id, name))
    for pid, occupations in wanted.items():
        user_id, region_id = owners.get(pid, (None, None))
        if user_id is None or user_id not in people:
            continue
        have = skills[pid]
        gaps: Counter[str] = Counter()
        for occupation in occupations:
            for needs, count in by_occupation[occupation].items():
                missing = needs - have
                if len(missing) == 1:
                    gaps[next(iter(missing))] += count
        if not gaps:
            continue
        gap, count = max(gaps.items(), key=lambda kv: (kv[1], kv[0]))
        if count >= SKILL_GAP_MIN_VACANCIES:
            skill = label[gap]
            yield OfferCandidate(
                person_id=user_id,
                subject=skill,
                region_id=region_id,
                details={"skill": skill, "vacancies": count},
            )
