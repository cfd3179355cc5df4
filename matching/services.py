"""The Django side of the matcher: feeds the pure engine from the database, keeps the index
fresh, and ranks for the portal, the employer pages and the API.

Serving: a django-q2 task (`tasks.rebuild_index`) builds the whole index and publishes it as a
versioned artifact (both sides and the taxonomy index, as memory-mappable arrays); web
processes load the current artifact and never build one. Every write that changes a vacancy
or a profile adds an `IndexChange` row in its own transaction (an outbox); a background step
in each process (`index_refresh`, a daemon thread every `MATCHING_REFRESH_SECONDS`) applies the
committed rows to the live engine in small batches, picks up newly published artifacts, and
queues a rebuild when the taxonomy changed (a label edit, an import) while the old artifact
keeps serving. When django-q runs tasks inline (tests, a one-process dev server) that step
runs at the ranking call instead, since there is no worker.
"""

from __future__ import annotations

import collections
import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import threading
import time
import zipfile
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matching.engine import (
    EngineConfig,
    MatchEngine,
    RecordEncoder,
    SeekerRecord,
    TaxonomyIndex,
    VacancyRecord,
)
from matching.engine.index import SCORE_THRESHOLD, build_workers_possible
from matching.engine.loading import PROJECT_DATA_DIR, engine_code_fingerprint
from matching.engine.normalize import normalize_text
from matching.engine.records import Match, MatchReason
from matching.engine.taxonomy import load_project_taxonomy
from matching.models import IndexChange, Skill, SkillLabel, Source
from matching.taxonomy_store import SaveReport, taxonomy_from_db, taxonomy_save, taxonomy_version

logger = logging.getLogger(__name__)

# What reading a damaged index or taxonomy cache raises (a truncated .npz is a BadZipFile).
UNREADABLE = (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile)


# --- Taxonomy ---------------------------------------------------------------------------------


def taxonomy_load_project() -> SaveReport:
    """Load the project's own labels and starter taxonomy from `matching/data/`."""
    return taxonomy_save(load_project_taxonomy(PROJECT_DATA_DIR), source=Source.PROJECT)


def skill_resolve(name: str) -> Skill | None:
    """The taxonomy skill a typed name denotes exactly (any language, any script)."""
    key = normalize_text(name)
    if not key:
        return None
    label = (
        SkillLabel.objects.filter(search_key=key)
        .select_related("concept")
        .order_by("-preferred", "concept_id")
        .first()
    )
    return label.concept if label else None


# --- Records: what the engine may see (never an IIN, sex, age or kandas status) ----------------


def vacancy_queryset() -> QuerySet[Any]:
    from mobility.exchange.models import Vacancy, VacancySkill

    return Vacancy.objects.select_related("region", "occupation__isco_group").prefetch_related(
        Prefetch("skills", queryset=VacancySkill.objects.order_by("-required", "id"))
    )


def seeker_queryset() -> QuerySet[Any]:
    from mobility.exchange.models import SeekerProfile

    return SeekerProfile.objects.select_related("region").prefetch_related(
        "skills", "experience", "desired_regions", "desired_occupations__isco_group"
    )


def vacancy_record(vacancy: Any) -> VacancyRecord:
    skills = list(vacancy.skills.all())
    return VacancyRecord(
        id=vacancy.id,
        title=vacancy.title,
        text=vacancy.description,
        required_skills=tuple(s.name for s in skills if s.required),
        optional_skills=tuple(s.name for s in skills if not s.required),
        occupation_code=vacancy.occupation.isco_group.code if vacancy.occupation_id else "",
        occupation_uri=vacancy.occupation.uri if vacancy.occupation_id else "",
        region=vacancy.region.code,
        languages=tuple(vacancy.languages or ()),
        salary_min=vacancy.salary_min,
        salary_max=vacancy.salary_max,
        schedule=vacancy.schedule,
        open_to_relocation=vacancy.open_to_resettlers,
    )


def seeker_record(profile: Any) -> SeekerRecord:
    experience = list(profile.experience.all())
    title = profile.headline or (experience[0].title if experience else "")
    text = " ".join([profile.about, *(f"{e.title}. {e.description}" for e in experience)]).strip()
    occupations = list(profile.desired_occupations.all())
    return SeekerRecord(
        id=profile.id,
        title=title,
        text=text,
        skills=tuple(s.name for s in profile.skills.all()),
        occupation_codes=tuple(o.isco_group.code for o in occupations),
        occupation_uris=tuple(o.uri for o in occupations),
        region=profile.region.code,
        languages=tuple(profile.languages or ()),
        salary_expected=profile.expected_salary,
        will_relocate=profile.will_relocate,
        desired_regions=tuple(r.code for r in profile.desired_regions.all()),
        schedule=profile.schedule,
    )


def _indexable_vacancies() -> QuerySet[Any]:
    from mobility.exchange.models import Vacancy

    return vacancy_queryset().filter(status=Vacancy.Status.PUBLISHED)


def _indexable_seekers() -> QuerySet[Any]:
    from mobility.exchange.models import SeekerProfile

    return seeker_queryset().exclude(visibility=SeekerProfile.Visibility.HIDDEN).filter(user__is_active=True)


# --- The index: outbox, artifact, in-process engine -------------------------------------------


def index_touch(kind: str, object_id: int) -> None:
    """Queue a record for re-indexing (call inside the writing transaction)."""
    IndexChange.objects.create(kind=kind, object_id=object_id)


def _index_dir() -> Path:
    return Path(settings.MATCHING_INDEX_DIR)


def engine_taxonomy_version() -> str:
    """The stored taxonomy's version with the engine code that indexes it: the key of the
    taxonomy cache and of a published artifact. An upgrade of the code that stems or normalises
    labels («есепші» kept whole in titles) moves it, so the web processes queue a rebuild and the
    rebuild does not reuse a taxonomy index of the old code."""
    return f"{taxonomy_version()}|engine={engine_code_fingerprint()}"


def _encoder_for(version: str, config: EngineConfig | None = None) -> RecordEncoder:
    """The taxonomy side of the engine, cached on disk by ``engine_taxonomy_version()``."""
    key = hashlib.sha256(version.encode()).hexdigest()[:16]
    target = _index_dir() / "taxonomy" / key
    if (target / "taxonomy_index.npz").exists():
        try:
            return RecordEncoder(TaxonomyIndex.load(target), config)
        except UNREADABLE:
            shutil.rmtree(target, ignore_errors=True)
    tindex = TaxonomyIndex.build(taxonomy_from_db(), fingerprint=key)
    tmp = target.with_name(key + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tindex.save(tmp)
    shutil.rmtree(target, ignore_errors=True)
    tmp.replace(target)
    return RecordEncoder(tindex, config)


@dataclass
class _State:
    engine: MatchEngine | None = None
    seq: int = 0
    recent: dict[int, dt.datetime] = field(default_factory=dict)  # outbox rows applied in the window
    taxonomy: str = ""
    artifact: str = ""
    rebuild_queued_for: str = ""  # taxonomy version a rebuild was queued for by this process
    stamp: str = ""  # _taxonomy_stamp() when the taxonomy was last found unchanged
    refresher: threading.Thread | None = None


_state = _State()
_lock = threading.RLock()
POINTER = "current.json"


def engine_reset() -> None:
    """Forget the in-process engine (tests; after a taxonomy import)."""
    with _lock:
        global _state
        _state = _State()
        _RECENT.clear()


def _read_pointer() -> dict[str, Any] | None:
    try:
        return json.loads((_index_dir() / POINTER).read_text())
    except (OSError, ValueError):
        return None


def index_pointer() -> dict[str, Any] | None:
    """The current artifact's pointer (name, outbox position, `built_at`), None before the first
    build: read by the readiness check."""
    return _read_pointer()


def _build_engine(encoder: RecordEncoder) -> tuple[MatchEngine, int]:
    """Build the whole index from the database: only ever called by the rebuild task."""
    seq = IndexChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    engine = MatchEngine(encoder)
    workers = settings.MATCHING_BUILD_WORKERS
    if workers > 1 and not build_workers_possible():
        logger.warning("matcher build: %s workers asked, this process cannot fork; encoding in it", workers)
    engine.build(
        vacancies=[vacancy_record(v) for v in _indexable_vacancies().iterator(chunk_size=2000)],
        seekers=[seeker_record(p) for p in _indexable_seekers().iterator(chunk_size=2000)],
        workers=workers,
    )
    return engine, seq


def index_rebuild() -> dict[str, Any]:
    """Build the whole index from the database and publish it as the current artifact.

    The artifact (`artifacts/<name>/`) holds both sides as memory-mappable arrays *and* the
    taxonomy index they were encoded with, so a web process loads it without touching the
    taxonomy tables; `current.json` names it. Runs in the django-q worker (`tasks.rebuild_index`),
    nightly, after a taxonomy import and after a label edit.
    """
    started = time.monotonic()
    version = engine_taxonomy_version()
    encoder = _encoder_for(version, _current_config())
    engine, seq = _build_engine(encoder)
    # Microseconds: two rebuilds in the same second (nightly task + post-import) need two names.
    name = timezone.now().strftime("%Y%m%dT%H%M%S%f") + f"-{seq}"
    directory = _index_dir() / "artifacts" / name
    tmp = directory.with_name(name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    engine.save(tmp)
    encoder.t.save(tmp / "taxonomy")
    tmp.replace(directory)
    pointer = {
        "artifact": name,
        "seq": seq,
        "taxonomy": version,
        "config": encoder.config.as_dict(),
        "built_at": timezone.now().isoformat(),
    }
    pointer_tmp = _index_dir() / (POINTER + ".tmp")
    pointer_tmp.write_text(json.dumps(pointer))
    pointer_tmp.replace(_index_dir() / POINTER)
    _prune_artifacts(keep=2)
    # Outbox rows folded into an artifact more than a day ago are no longer needed.
    IndexChange.objects.filter(id__lte=seq, created_at__lt=timezone.now() - dt.timedelta(days=1)).delete()
    pointer["seconds"] = round(time.monotonic() - started, 2)
    pointer["vacancies"] = len(engine.vacancies)
    pointer["seekers"] = len(engine.seekers)
    return pointer


def index_rebuild_soon() -> None:
    """Queue a rebuild in the background (once per taxonomy version and process); the current
    index keeps serving until the new artifact is published."""
    from django_q.tasks import async_task

    version = engine_taxonomy_version()
    with _lock:
        if _state.rebuild_queued_for == version:
            return
        _state.rebuild_queued_for = version
    async_task("matching.tasks.rebuild_index", task_name="matching-rebuild-index")


def taxonomy_changed() -> None:
    """A label edit or a taxonomy import: rebuild in the background once the change commits."""
    transaction.on_commit(index_rebuild_soon)


def _taxonomy_stamp() -> str:
    """A cheap fingerprint of the taxonomy tables (one query) for the background step's "did it
    change?" check; the full `taxonomy_version()` is only computed when this moves."""
    from django.db import connection

    from matching.models import IscoGroupLabel, OccupationLabel, OccupationSkill

    parts = []
    for position, model in enumerate((IscoGroupLabel, OccupationLabel, SkillLabel)):
        table = connection.ops.quote_name(model._meta.db_table)
        parts.append(f"SELECT {position}, COUNT(*), MAX(id), MAX(updated_at) FROM {table}")  # noqa: S608 - quoted model table names
    links = connection.ops.quote_name(OccupationSkill._meta.db_table)
    parts.append(f"SELECT 3, COUNT(*), MAX(id), NULL FROM {links}")  # noqa: S608 - names from _meta
    with connection.cursor() as cursor:
        # UNION ALL promises no row order (PostgreSQL's parallel append returns the branches as
        # they finish on large tables): without the ORDER BY the stamp would change from call
        # to call and every request would recompute the full taxonomy version.
        cursor.execute(" UNION ALL ".join(parts) + " ORDER BY 1")
        return "|".join(f"{n}:{i}:{u}" for _, n, i, u in cursor.fetchall())


def _prune_artifacts(keep: int) -> None:
    base = _index_dir() / "artifacts"
    entries = sorted(p for p in base.iterdir() if p.is_dir() and not p.name.endswith(".tmp"))
    for old in entries[:-keep]:
        shutil.rmtree(old, ignore_errors=True)


# Outbox ids are handed out at insert, not at commit: a slow transaction can commit a row
# with an id below one already replayed. Rows younger than this window are therefore looked
# at again (each once) even when their id is below the last one seen.
REPLAY_WINDOW = dt.timedelta(minutes=5)
APPLY_BATCH = 500  # outbox rows applied per hold of the engine lock


def _replay(engine: MatchEngine, after: int, limit: int = APPLY_BATCH) -> int:
    """Apply outbox rows newer than `after`, and late-committed ones inside the window;
    returns the highest id applied."""
    now = timezone.now()
    seen = _state.recent
    for row_id, at in list(seen.items()):
        if at < now - REPLAY_WINDOW:
            del seen[row_id]
    candidates = (
        IndexChange.objects.filter(Q(id__gt=after) | Q(created_at__gte=now - REPLAY_WINDOW))
        .exclude(id__in=list(seen))
        .order_by("id")
        .values_list("id", "kind", "object_id", "created_at")[:limit]
    )
    rows = []
    for row_id, kind, object_id, at in candidates:
        seen[row_id] = at
        rows.append((row_id, kind, object_id))
    if not rows:
        return after
    wanted: dict[str, set[int]] = {IndexChange.Kind.VACANCY: set(), IndexChange.Kind.SEEKER: set()}
    for _id, kind, object_id in rows:
        wanted[kind].add(object_id)
    if wanted[IndexChange.Kind.VACANCY]:
        ids = wanted[IndexChange.Kind.VACANCY]
        live = {v.id: v for v in _indexable_vacancies().filter(id__in=ids)}
        for object_id in ids:
            if object_id in live:
                engine.upsert(vacancy_record(live[object_id]))
            else:
                engine.remove("vacancy", object_id)
    if wanted[IndexChange.Kind.SEEKER]:
        ids = wanted[IndexChange.Kind.SEEKER]
        live = {p.id: p for p in _indexable_seekers().filter(id__in=ids)}
        for object_id in ids:
            if object_id in live:
                engine.upsert(seeker_record(live[object_id]))
            else:
                engine.remove("seeker", object_id)
    return max(after, rows[-1][0])


def _empty_engine() -> MatchEngine:
    """What a process serves before any artifact was published: nothing (never a build)."""
    from matching.engine.taxonomy import Taxonomy

    engine = MatchEngine(RecordEncoder(TaxonomyIndex.build(Taxonomy(sources=[]), fingerprint="empty")))
    engine.build()
    return engine


def _load_published() -> bool:
    """Swap in the published artifact if it is newer than this process's; never builds."""
    pointer = _read_pointer()
    if not pointer or pointer["artifact"] == _state.artifact:
        return False
    directory = _index_dir() / "artifacts" / pointer["artifact"]
    try:
        config = EngineConfig.from_dict(pointer["config"]) if pointer.get("config") else None
        encoder = RecordEncoder(TaxonomyIndex.load(directory / "taxonomy"), config)
        engine = MatchEngine.load(directory, encoder)
    except UNREADABLE:
        logger.warning("matching index artifact %s unreadable; queueing a rebuild", directory)
        return False
    with _lock:
        _state.engine, _state.seq, _state.taxonomy = engine, pointer["seq"], pointer["taxonomy"]
        _state.artifact, _state.recent = pointer["artifact"], {}  # the new engine has seen none of the window
    return True


def index_apply_pending(*, limit: int = 20000) -> int:
    """The background step: apply committed outbox rows to this process's engine, in batches
    (the lock is held for one batch at a time, so ranking calls wait at most that long)."""
    applied = 0
    while applied < limit:
        with _lock:
            if _state.engine is None:
                return applied
            before = _state.seq
            window = len(_state.recent)
            _state.seq = _replay(_state.engine, before)
            progressed = _state.seq != before or len(_state.recent) != window
        if not progressed:
            break
        applied += APPLY_BATCH
    return applied


def index_refresh() -> None:
    """Pick up a newly published artifact, queue a rebuild if the taxonomy moved on since the
    artifact was built (the old one keeps serving), then apply pending changes."""
    _load_published()
    if _state.engine is None:
        return
    stamp = _taxonomy_stamp()
    if stamp != _state.stamp:
        version = engine_taxonomy_version()
        if _state.taxonomy != version:
            index_rebuild_soon()
            _load_published()  # already there when tasks run inline
        if _state.taxonomy == version:
            _state.stamp = stamp
    index_apply_pending()


def _tasks_run_inline() -> bool:
    """django-q in sync mode (tests, a one-process dev server): there is no worker, so the
    background steps run where they are triggered."""
    from django_q.conf import Conf

    return bool(Conf.SYNC)


def _refresher_loop() -> None:
    from django.db import close_old_connections

    interval = float(getattr(settings, "MATCHING_REFRESH_SECONDS", 2.0))
    while True:
        time.sleep(interval)
        try:
            close_old_connections()
            index_refresh()
        except Exception:  # the loop must outlive a database hiccup; the next round retries
            logger.exception("matching index refresh failed")


def _ensure_refresher() -> None:
    if _state.refresher is not None and _state.refresher.is_alive():
        return
    thread = threading.Thread(target=_refresher_loop, name="matching-index-refresh", daemon=True)
    _state.refresher = thread
    thread.start()


def get_engine() -> MatchEngine:
    """The engine this process serves: the published artifact (memory-mapped) plus the changes
    the background step has applied. Never builds an index and never replays the outbox
    inside a ranking call; before the first artifact is published it serves an empty index and
    queues the build."""
    with _lock:
        if _state.engine is None and not _load_published():
            index_rebuild_soon()  # in a worker; at once when tasks run inline
            if not _load_published():
                _state.engine = _empty_engine()
    if _tasks_run_inline():
        index_refresh()
    else:
        _ensure_refresher()
    assert _state.engine is not None
    return _state.engine


# --- Ranking ----------------------------------------------------------------------------------


# The last rankings of this process, so a page can log what it showed (with the components the
# engine gave) without ranking again: (direction, query id) -> {result id: match}.
_RECENT: collections.OrderedDict[tuple[str, int], dict[int, Match]] = collections.OrderedDict()
_RECENT_SIZE = 256


def _remember(direction: str, query_id: Any, matches: list[Match]) -> None:
    if query_id is None:
        return
    with _lock:
        _RECENT[(direction, int(query_id))] = {int(m.id): m for m in matches}
        _RECENT.move_to_end((direction, int(query_id)))
        while len(_RECENT) > _RECENT_SIZE:
            _RECENT.popitem(last=False)


def rank_vacancies_for(
    profile: Any, *, limit: int = 20, explain: bool = True, among: Collection[int] | None = None
) -> list[Match]:
    """Matches over published vacancies for a seeker profile (not necessarily indexed); `among`
    keeps them to those vacancy ids (a sponsored foreign specialist: vacancies open to them)."""
    record = seeker_record(profile)
    engine = get_engine()
    with _lock:  # the background step never changes the engine under a ranking call
        matches = engine.vacancies_for(record, k=limit, explain=explain, among=among)
    _remember("s2v", profile.pk, matches)
    return matches


def rank_seekers_for(vacancy: Any, *, limit: int = 50, explain: bool = True) -> list[Match]:
    """Matches over visible seeker profiles for a vacancy."""
    record = vacancy_record(vacancy)
    engine = get_engine()
    with _lock:
        matches = engine.seekers_for(record, k=limit, explain=explain)
    _remember("v2s", vacancy.pk, matches)
    return matches


def explain_seekers_for(vacancy: Any, seeker_ids: Collection[Any]) -> list[Match]:
    """The explained matches of these seekers for a vacancy: for a page that ranked its pool
    unexplained (`rank_seekers_for(explain=False)`) and explains only the candidates it shows.
    The engine that ranked the pool answers, not refreshed in between, so the scores are the
    pool's (a pair scores the same whatever else is ranked)."""
    if not seeker_ids:
        return []
    record = vacancy_record(vacancy)
    with _lock:
        engine = _state.engine if _state.engine is not None else get_engine()
        matches = engine.seekers_for(record, k=len(seeker_ids), explain=True, among=seeker_ids)
    _remember("v2s", vacancy.pk, matches)
    return matches


def localise_skill_names(names: Iterable[str], lang: str) -> dict[str, str]:
    """Map the engine's skill names onto their labels in `lang` (one query)."""
    names = list(dict.fromkeys(names))
    if not names:
        return {}
    by_text: dict[str, int] = {}
    for text, concept_id in SkillLabel.objects.filter(text__in=names).values_list("text", "concept_id"):
        by_text.setdefault(text, concept_id)
    preferred: dict[int, str] = {}
    for concept_id, text in (
        SkillLabel.objects.filter(concept_id__in=set(by_text.values()), lang=lang)
        .order_by("concept_id", "-preferred", "id")
        .values_list("concept_id", "text")
    ):
        preferred.setdefault(concept_id, text)
    return {name: preferred.get(by_text.get(name, -1), name) for name in names}


@transaction.atomic
def index_touch_all() -> int:
    """Queue every indexable record (after a bulk import)."""
    from mobility.exchange.models import SeekerProfile, Vacancy

    rows = [
        IndexChange(kind=IndexChange.Kind.VACANCY, object_id=i)
        for i in Vacancy.objects.values_list("id", flat=True)
    ]
    rows += [
        IndexChange(kind=IndexChange.Kind.SEEKER, object_id=i)
        for i in SeekerProfile.objects.values_list("id", flat=True)
    ]
    IndexChange.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def score_threshold() -> int:
    """The calibrated score (0-100) under which a result is not presented as a match."""
    return int(getattr(settings, "MATCHING_SCORE_THRESHOLD", SCORE_THRESHOLD))


def reason_text(reason: MatchReason | None) -> str:
    """The one-line reason in the active language: "same occupation, 2 of 6 required skills"."""
    if reason is None:
        return ""
    relation = {
        "same_occupation": _("same occupation"),
        "same_unit_group": _("closely related occupation"),
        "same_minor_group": _("related occupation"),
        "same_sub_major_group": _("same field of work"),
        "different": _("different occupation"),
    }.get(reason.relation, _("occupation not recognised"))
    parts = [relation]
    if reason.skills_required:
        parts.append(
            ngettext(
                "%(matched)d of %(required)d required skill",
                "%(matched)d of %(required)d required skills",
                reason.skills_required,
            )
            % {"matched": reason.skills_matched, "required": reason.skills_required}
        )
    else:
        parts.append(_("no required skills listed"))
    location = {
        "region": _("another region"),
        "salary": _("expects more than offered"),
        "schedule": _("different schedule"),
        "languages": _("a required language is missing"),
    }.get(reason.location)
    if location:
        parts.append(location)
    return ", ".join(parts)


@dataclass(frozen=True)
class ShownMatch:
    """A match as pages show it: the calibrated 0-100 score (the same pair scores the same
    whatever else is in the pool), whether it clears the threshold to be called a match, the
    one-line reason (as data and worded in the active language), the occupation relation, and
    skills named in the reader's language. ``score`` is the internal ranking score."""

    id: int
    score: float
    percent: int  # the calibrated score, 0-100
    relation: str
    matched: list[str]
    missing: list[str]
    factors: list[Any]
    is_match: bool = True
    reason: str = ""
    reason_data: MatchReason | None = None


def present_matches(
    matches: list[Match], *, lang: str, matched: int = 8, missing: int = 6
) -> list[ShownMatch]:
    """Explained matches ready for a template (one query to localise every skill name)."""
    names: list[str] = []
    for m in matches:
        if m.explanation:
            names += [*m.explanation.matched_skills, *m.explanation.missing_skills]
    localised = localise_skill_names(names, lang)
    threshold = score_threshold()
    return [
        ShownMatch(
            id=int(m.id),
            score=m.score,
            percent=m.explanation.score,
            relation=m.explanation.occupation_relation,
            matched=[localised.get(s, s) for s in m.explanation.matched_skills][:matched],
            missing=[localised.get(s, s) for s in m.explanation.missing_skills][:missing],
            factors=list(m.explanation.structured),
            is_match=m.explanation.score >= threshold,
            reason=reason_text(m.explanation.reason),
            reason_data=m.explanation.reason,
        )
        for m in matches
        if m.explanation is not None
    ]


# --- Feedback: impressions and outcomes, pseudonymous ------------------------------------------


def _subject_ids(profile_ids: Iterable[int]) -> dict[int, int]:
    """The pseudonymous subject of each profile (created on first use)."""
    from matching.models import FeedbackSubject

    wanted = set(profile_ids)
    found = dict(FeedbackSubject.objects.filter(profile_id__in=wanted).values_list("profile_id", "id"))
    missing = wanted - set(found)
    if missing:
        FeedbackSubject.objects.bulk_create(
            [FeedbackSubject(profile_id=pid) for pid in missing], ignore_conflicts=True
        )
        found = dict(FeedbackSubject.objects.filter(profile_id__in=wanted).values_list("profile_id", "id"))
    return found


def impressions_record(
    matches: list[Match], *, surface: str, seeker_id: int | None = None, vacancy_id: int | None = None
) -> int:
    """Log what was shown: one `shown` row per result with its rank, both scores and the
    components. Give `seeker_id` for vacancies shown to a seeker, `vacancy_id` for candidates
    shown for a vacancy. Called by the pages that list matches (one insert for the list)."""
    from matching.models import MatchFeedback

    if not matches or (seeker_id is None) == (vacancy_id is None):
        return 0
    s2v = seeker_id is not None
    seekers = [seeker_id] if s2v else [int(m.id) for m in matches]
    subjects = _subject_ids(s for s in seekers if s is not None)
    rows = []
    for rank, m in enumerate(matches, start=1):
        sid = seeker_id if s2v else int(m.id)
        expl = m.explanation
        rows.append(
            MatchFeedback(
                seeker_id=sid,
                subject_id=subjects.get(sid or 0),
                vacancy_id=int(m.id) if s2v else vacancy_id,
                event=MatchFeedback.Event.SHOWN,
                direction=MatchFeedback.Direction.SEEKER_TO_VACANCY
                if s2v
                else MatchFeedback.Direction.VACANCY_TO_SEEKER,
                surface=surface[:30],
                rank=rank,
                score=m.score,
                calibrated=expl.score if expl else None,
                components=dict(expl.components) if expl else {},
            )
        )
    MatchFeedback.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def impressions_log(
    *, surface: str, shown: list[int], seeker_id: int | None = None, vacancy_id: int | None = None
) -> int:
    """What a page showed, in display order: the ids of the vacancies shown to `seeker_id` (or of
    the candidates shown for `vacancy_id`), logged with the components of this process's last
    ranking for that query. One line in a view after it picked what to display."""
    direction, query = ("s2v", seeker_id) if seeker_id is not None else ("v2s", vacancy_id)
    if query is None:
        return 0
    with _lock:
        ranked = _RECENT.get((direction, int(query)), {})
    matches = [ranked[i] for i in shown if i in ranked]
    return impressions_record(matches, surface=surface, seeker_id=seeker_id, vacancy_id=vacancy_id)


def _last_impression(*, seeker_id: int, vacancy_id: int, surface: str = "") -> dict[str, Any] | None:
    """The pair's latest `shown` row (on `surface` when given) as the fields an outcome copies."""
    from matching.models import MatchFeedback

    rows = MatchFeedback.objects.filter(
        seeker_id=seeker_id, vacancy_id=vacancy_id, event=MatchFeedback.Event.SHOWN
    )
    if surface:
        rows = rows.filter(surface=surface)
    row = (
        rows.order_by("-created_at", "-id")
        .values("direction", "surface", "rank", "score", "calibrated", "components", "created_at")
        .first()
    )
    return dict(row) if row is not None else None


def outcome_record(
    *, seeker_id: int, vacancy_id: int, event: str, reason: str = "", surface: str = ""
) -> Any:
    """Log what happened to a pair (viewed, applied, invited, ..., hired, rejected with reason),
    carrying the rank, scores and components of the pair's latest impression (the latest on
    `surface` when given: the list the person acted from)."""
    from matching.models import MatchFeedback

    last = _last_impression(seeker_id=seeker_id, vacancy_id=vacancy_id, surface=surface)
    shown: dict[str, Any] = dict(last) if last else {}
    shown.pop("created_at", None)
    return MatchFeedback.objects.create(
        seeker_id=seeker_id,
        subject_id=_subject_ids([seeker_id]).get(seeker_id),
        vacancy_id=vacancy_id,
        event=event,
        reason=reason[:300],
        **shown,
    )


@transaction.atomic
def outcome_viewed(*, seeker_id: int, vacancy_id: int, surface: str) -> Any:
    """A person opened one result of a ranked list (a seeker a vacancy from "for_me", an employer
    a candidate from "candidates"): one `viewed` outcome per impression, carrying its rank and
    components. Nothing is logged when the pair was never shown on `surface` (the page was not
    opened from that list) or when this impression's view is already logged (a reload)."""
    from matching.models import MatchFeedback

    if not surface:
        return None
    last = _last_impression(seeker_id=seeker_id, vacancy_id=vacancy_id, surface=surface)
    if last is None:
        return None
    already = MatchFeedback.objects.filter(
        seeker_id=seeker_id,
        vacancy_id=vacancy_id,
        event=MatchFeedback.Event.VIEWED,
        surface=surface,
        created_at__gte=last["created_at"],
    ).exists()
    if already:
        return None
    return outcome_record(
        seeker_id=seeker_id, vacancy_id=vacancy_id, event=MatchFeedback.Event.VIEWED, surface=surface
    )


# --- Learning the component weights from feedback ---------------------------------------------

# Gain of a pair by the furthest it got; a rejection or withdrawal after applying keeps "applied".
OUTCOME_GAIN = {
    "shown": 0.0,
    "viewed": 0.5,
    "applied": 1.0,
    "invited": 1.0,
    "shortlisted": 2.0,
    "interview": 3.0,
    "offer": 4.0,
    "hired": 5.0,
}
WEIGHTS_FILE = "learned_weights.json"


def feedback_groups() -> list[Any]:
    """The logged lists as learning-to-rank groups: one per (direction, query, day), with the
    components of each shown result (FEATURES only) and the gain of what followed."""
    import numpy as np

    from matching.engine.ltr import Group, features
    from matching.models import MatchFeedback

    shown: dict[tuple[str, int, Any], dict[tuple[int, int], tuple[Any, float]]] = {}
    gains: dict[tuple[int, int], float] = {}
    for subject, vacancy, event, direction, components, at in MatchFeedback.objects.filter(
        subject__isnull=False, vacancy__isnull=False
    ).values_list("subject_id", "vacancy_id", "event", "direction", "components", "created_at"):
        pair = (subject, vacancy)
        gains[pair] = max(gains.get(pair, 0.0), OUTCOME_GAIN.get(event, 0.0))
        if event == MatchFeedback.Event.SHOWN and components:
            query = subject if direction == MatchFeedback.Direction.SEEKER_TO_VACANCY else vacancy
            key = (direction, query, timezone.localdate(at))
            shown.setdefault(key, {})[pair] = (features(components), at.timestamp())
    groups = []
    for _key, results in shown.items():
        pairs = list(results)
        x = np.vstack([results[p][0] for p in pairs])
        gain = np.array([gains.get(p, 0.0) for p in pairs])
        groups.append(Group(x=x, gain=gain, at=min(results[p][1] for p in pairs)))
    return groups


def weights_fit(*, test_share: float = 0.2, min_groups: int = 50, margin: float = 0.005) -> dict[str, Any]:
    """Fit the component weights on the older feedback, compare with the current weights on the
    newest `test_share` (a time split), and adopt them only when they do better there. Adopted
    weights are written next to the index and used by the next rebuild; the calibrated score does
    not read them, so what pages show keeps its meaning."""
    import numpy as np

    from matching.engine.ltr import FEATURES, fit_weights, ndcg

    groups = sorted(feedback_groups(), key=lambda g: g.at)
    report: dict[str, Any] = {"groups": len(groups), "adopted": False}
    if len(groups) < min_groups:
        report["why"] = "not enough feedback"
        return report
    cut = int(len(groups) * (1 - test_share))
    train, test = groups[:cut], groups[cut:]
    learned = fit_weights(train)
    current = np.ones(len(FEATURES))
    report["ndcg_current"] = round(ndcg(test, current), 4)
    if learned is None:
        report["why"] = "no usable pairs"
        return report
    report["weights"] = dict(zip(FEATURES, (round(float(w), 4) for w in learned), strict=True))
    report["ndcg_learned"] = round(ndcg(test, learned), 4)
    if report["ndcg_learned"] >= report["ndcg_current"] + margin:
        base = _current_config()
        adopted = {
            "w_skill": base.w_skill * float(learned[1]),
            "w_text": base.w_text * float(learned[2]),
            "fitted_at": timezone.now().isoformat(),
            **{k: report[k] for k in ("ndcg_current", "ndcg_learned", "groups")},
        }
        path = _index_dir() / WEIGHTS_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        path.with_suffix(".tmp").write_text(json.dumps(adopted))
        path.with_suffix(".tmp").replace(path)
        report["adopted"] = True
    return report


def _current_config() -> EngineConfig:
    """The ranking weights the next build uses: the defaults, or the adopted learned ones."""
    try:
        learned = json.loads((_index_dir() / WEIGHTS_FILE).read_text())
    except (OSError, ValueError):
        return EngineConfig()
    return EngineConfig(w_skill=float(learned["w_skill"]), w_text=float(learned["w_text"]))


# --- Coverage and fairness monitoring -----------------------------------------------------------

_KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def text_language(text: str) -> str:
    """The language a profile or vacancy is written in, by its letters: "kk" when it uses a
    Kazakh-only letter, "ru" for other Cyrillic, "en" for Latin, "" when there are no letters."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return ""
    if any(c in _KAZAKH_LETTERS for c in letters):
        return "kk"
    cyrillic = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
    return "ru" if cyrillic * 2 >= len(letters) else "en"


def coverage_compute(*, wanted: int = 5) -> Any:
    """Background task: for every registered seeker and every published vacancy, whether the
    engine finds at least `wanted` matches at or above the threshold; stored as a snapshot of
    counts by side, region, ISCO major group (of the record's most likely occupation) and language."""
    from matching.engine.index import encode_inputs
    from matching.models import CoverageSnapshot
    from mobility.exchange.models import Registration

    started = time.monotonic()
    engine = get_engine()
    threshold = score_threshold()
    t = engine.encoder.t
    counts: dict[tuple[str, str, str, str], list[int]] = {}

    def add(side: str, region: str, record: Any, text: str, matches: list[Match]) -> None:
        enc = engine.encoder.encode_batch([encode_inputs(record)])[0]
        group = t.occ_isco[enc.occ[0][0]][:1] if enc.occ else ""
        good = sum(1 for m in matches if m.explanation is not None and m.explanation.score >= threshold)
        row = counts.setdefault((side, region, group, text_language(text)), [0, 0])
        row[0] += 1
        row[1] += int(good >= wanted)

    registered = _indexable_seekers().filter(registrations__status=Registration.Status.ACTIVE).distinct()
    for profile in registered.iterator(chunk_size=500):
        record = seeker_record(profile)
        with _lock:
            matches = engine.vacancies_for(record, k=wanted)
        add("seeker", profile.region.code, record, f"{profile.headline} {profile.about}", matches)
    for vacancy in _indexable_vacancies().iterator(chunk_size=500):
        vrecord = vacancy_record(vacancy)
        with _lock:
            matches = engine.seekers_for(vrecord, k=wanted)
        add("vacancy", vacancy.region.code, vrecord, f"{vacancy.title} {vacancy.description}", matches)
    rows = [
        {"side": s, "region": r, "group": g, "lang": lang, "total": n, "covered": c}
        for (s, r, g, lang), (n, c) in sorted(counts.items())
    ]
    return CoverageSnapshot.objects.create(
        threshold=threshold, wanted=wanted, rows=rows, seconds=round(time.monotonic() - started, 2)
    )
