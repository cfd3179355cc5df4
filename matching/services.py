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

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import threading
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matching.engine import MatchEngine, RecordEncoder, SeekerRecord, TaxonomyIndex, VacancyRecord
from matching.engine.index import SCORE_THRESHOLD
from matching.engine.loading import PROJECT_DATA_DIR
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


def _encoder_for(version: str) -> RecordEncoder:
    """The taxonomy side of the engine, cached on disk by taxonomy version."""
    key = hashlib.sha256(version.encode()).hexdigest()[:16]
    target = _index_dir() / "taxonomy" / key
    if (target / "taxonomy_index.npz").exists():
        try:
            return RecordEncoder(TaxonomyIndex.load(target))
        except UNREADABLE:
            shutil.rmtree(target, ignore_errors=True)
    tindex = TaxonomyIndex.build(taxonomy_from_db(), fingerprint=key)
    tmp = target.with_name(key + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tindex.save(tmp)
    shutil.rmtree(target, ignore_errors=True)
    tmp.replace(target)
    return RecordEncoder(tindex)


@dataclass
class _State:
    engine: MatchEngine | None = None
    seq: int = 0
    recent: dict[int, dt.datetime] = field(default_factory=dict)  # outbox rows applied in the window
    taxonomy: str = ""
    artifact: str = ""
    rebuild_queued_for: str = ""  # taxonomy version a rebuild was queued for by this process
    refresher: threading.Thread | None = None


_state = _State()
_lock = threading.RLock()
POINTER = "current.json"


def engine_reset() -> None:
    """Forget the in-process engine (tests; after a taxonomy import)."""
    with _lock:
        global _state
        _state = _State()


def _read_pointer() -> dict[str, Any] | None:
    try:
        return json.loads((_index_dir() / POINTER).read_text())
    except (OSError, ValueError):
        return None


def _build_engine(encoder: RecordEncoder) -> tuple[MatchEngine, int]:
    """Build the whole index from the database: only ever called by the rebuild task."""
    seq = IndexChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    engine = MatchEngine(encoder)
    engine.build(
        vacancies=[vacancy_record(v) for v in _indexable_vacancies().iterator(chunk_size=2000)],
        seekers=[seeker_record(p) for p in _indexable_seekers().iterator(chunk_size=2000)],
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
    version = taxonomy_version()
    encoder = _encoder_for(version)
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
    pointer = {"artifact": name, "seq": seq, "taxonomy": version, "built_at": timezone.now().isoformat()}
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

    version = taxonomy_version()
    with _lock:
        if _state.rebuild_queued_for == version:
            return
        _state.rebuild_queued_for = version
    async_task("matching.tasks.rebuild_index", task_name="matching-rebuild-index")


def taxonomy_changed() -> None:
    """A label edit or a taxonomy import: rebuild in the background once the change commits."""
    transaction.on_commit(index_rebuild_soon)


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
        encoder = RecordEncoder(TaxonomyIndex.load(directory / "taxonomy"))
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
    if _state.taxonomy != taxonomy_version():
        index_rebuild_soon()
        _load_published()  # already there when tasks run inline
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


def rank_vacancies_for(profile: Any, *, limit: int = 20, explain: bool = True) -> list[Match]:
    """Matches over published vacancies for a seeker profile (not necessarily indexed)."""
    record = seeker_record(profile)
    engine = get_engine()
    with _lock:  # the background step never changes the engine under a ranking call
        return engine.vacancies_for(record, k=limit, explain=explain)


def rank_seekers_for(vacancy: Any, *, limit: int = 50, explain: bool = True) -> list[Match]:
    """Matches over visible seeker profiles for a vacancy."""
    record = vacancy_record(vacancy)
    engine = get_engine()
    with _lock:
        return engine.seekers_for(record, k=limit, explain=explain)


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
