"""National-scale synthetic benchmark: build time, peak memory, update visibility, query latency.

    python -m matching.bench.scale --vacancies 200000 --seekers 1000000 [--queries 200]

Records are generated from the loaded taxonomy (ESCO + MELO under ``$ESCO_DIR`` when set,
plus the project's files): occupations drawn with a Zipf-like popularity, titles from the
occupation's labels in any language (5 % with a typo or decoration), 3-10 of its skills
(30 % of records name them only in free text), a region, salary, schedule and languages.
Titles repeat as they do in real job boards, which is what the encoder's memo relies on.
Targets: build < 10 min, peak RSS < 6 GB, an updated profile visible in < 5 s, p95 < 50 ms
for top-50 seekers of a vacancy (1M) and top-20 vacancies of a seeker (200k).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
from typing import Any

import numpy as np

from matching.engine import MatchEngine, RecordEncoder, SeekerRecord, VacancyRecord, load_encoder

REGIONS = [
    "KZ-10",
    "KZ-11",
    "KZ-15",
    "KZ-19",
    "KZ-23",
    "KZ-27",
    "KZ-31",
    "KZ-33",
    "KZ-35",
    "KZ-39",
    "KZ-43",
    "KZ-47",
    "KZ-55",
    "KZ-59",
    "KZ-61",
    "KZ-62",
    "KZ-63",
    "KZ-71",
    "KZ-75",
    "KZ-79",
]
SCHEDULES = ["full_time", "part_time", "shift", "rotation", "remote"]
DECOR = ["Требуется", "(м/ж)", "срочно", "Senior", "– Алматы", "керек"]


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class Generator:
    """Synthetic records drawn from the taxonomy the engine itself uses."""

    def __init__(self, encoder: RecordEncoder, seed: int = 7):
        self.rng = random.Random(seed)  # noqa: S311 - synthetic benchmark data
        t = encoder.t
        self.t = t
        lc = t.label_concepts.tocsc()
        self.titles: list[list[str]] = []
        self.skills: list[list[int]] = []
        occs = [o for o in range(t.n_occ) if t.occ_skill.indptr[o + 1] - t.occ_skill.indptr[o] >= 3] or list(
            range(t.n_occ)
        )
        self.occs = occs
        for o in occs:
            labs = lc.indices[lc.indptr[o] : lc.indptr[o + 1]]
            self.titles.append([t.labels[i] for i in labs[:30]] or [t.occ_names[o]])
            self.skills.append(
                t.occ_skill.indices[t.occ_skill.indptr[o] : t.occ_skill.indptr[o + 1]].tolist()
            )
        order = list(range(len(occs)))
        self.rng.shuffle(order)
        weights = np.array([1.0 / (rank + 1) ** 0.8 for rank in range(len(occs))])
        self.popularity = np.empty(len(occs))
        self.popularity[order] = weights / weights.sum()
        self.np_rng = np.random.default_rng(seed)

    def _title(self, k: int) -> str:
        labels = self.titles[k]
        title = labels[min(int(self.np_rng.geometric(0.35)) - 1, len(labels) - 1)]
        r = self.rng.random()
        if r < 0.025 and len(title) > 5:
            i = self.rng.randrange(1, len(title) - 1)
            title = title[:i] + title[i + 1 :]
        elif r < 0.05:
            title = f"{self.rng.choice(DECOR)} {title}"
        return title

    def _skills(self, k: int) -> tuple[tuple[str, ...], str]:
        pool = self.skills[k]
        chosen = self.rng.sample(pool, min(len(pool), self.rng.randint(3, 10)))
        names = tuple(self.t.skill_names[s] for s in chosen)
        if self.rng.random() < 0.3:
            return (), "Experience: " + ", ".join(names) + "."
        return names, ""

    def occupations(self, n: int) -> np.ndarray:
        return self.np_rng.choice(len(self.occs), size=n, p=self.popularity)

    def vacancies(self, n: int) -> list[VacancyRecord]:
        out = []
        for i, k in enumerate(self.occupations(n).tolist()):
            skills, text = self._skills(k)
            lo = self.rng.randrange(120, 600) * 1000
            out.append(
                VacancyRecord(
                    id=f"v{i}",
                    title=self._title(k),
                    text=text,
                    skills=skills,
                    region=self.rng.choice(REGIONS),
                    salary_min=lo,
                    salary_max=lo + self.rng.randrange(0, 300) * 1000,
                    schedule=self.rng.choice(SCHEDULES),
                    languages=("kk", "ru") if self.rng.random() < 0.3 else ("ru",),
                    open_to_relocation=self.rng.random() < 0.5,
                )
            )
        return out

    def seekers(self, n: int) -> list[SeekerRecord]:
        out = []
        for i, k in enumerate(self.occupations(n).tolist()):
            skills, text = self._skills(k) if self.rng.random() < 0.8 else ((), "")
            out.append(
                SeekerRecord(
                    id=i,
                    title=self._title(k),
                    text=text,
                    skills=skills,
                    region=self.rng.choice(REGIONS),
                    salary_expected=self.rng.randrange(100, 800) * 1000,
                    schedule=self.rng.choice(SCHEDULES),
                    languages=("kk", "ru") if self.rng.random() < 0.6 else ("ru",),
                    will_relocate=self.rng.random() < 0.3,
                )
            )
        return out


def _pct(xs: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(float(np.percentile(xs, 50)), 2),
        "p95_ms": round(float(np.percentile(xs, 95)), 2),
        "max_ms": round(float(np.max(xs)), 2),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the scale benchmark and print one JSON report."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vacancies", type=int, default=200_000)
    ap.add_argument("--seekers", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--save-dir", help="also time save/load into this directory")
    args = ap.parse_args(argv)
    report: dict[str, Any] = {"vacancies": args.vacancies, "seekers": args.seekers}

    t0 = time.perf_counter()
    encoder = load_encoder(os.environ.get("ESCO_DIR") or None)
    report["taxonomy_load_s"] = round(time.perf_counter() - t0, 2)
    gen = Generator(encoder)
    t0 = time.perf_counter()
    vacancies = gen.vacancies(args.vacancies)
    seekers = gen.seekers(args.seekers)
    report["generate_s"] = round(time.perf_counter() - t0, 2)
    report["distinct_titles"] = len({r.title for r in vacancies} | {r.title for r in seekers})
    rss_before = peak_rss_mb()
    print(
        f"generated {len(vacancies)} vacancies, {len(seekers)} seekers; rss {rss_before:.0f} MB",
        file=sys.stderr,
    )

    engine = MatchEngine(encoder)
    t0 = time.perf_counter()
    engine.vacancies.build(vacancies)
    report["build_vacancies_s"] = round(time.perf_counter() - t0, 2)
    print(f"vacancy index built in {report['build_vacancies_s']}s", file=sys.stderr)
    t0 = time.perf_counter()
    engine.seekers.build(seekers)
    report["build_seekers_s"] = round(time.perf_counter() - t0, 2)
    report["build_total_s"] = round(report["build_vacancies_s"] + report["build_seekers_s"], 2)
    report["peak_rss_mb"] = round(peak_rss_mb(), 1)
    report["peak_rss_mb_before_build"] = round(rss_before, 1)
    print(
        f"seeker index built in {report['build_seekers_s']}s; peak rss {report['peak_rss_mb']} MB",
        file=sys.stderr,
    )

    encoder.clear_memo()
    rng = random.Random(11)  # noqa: S311 - synthetic benchmark data
    q_seekers = rng.sample(seekers, args.queries)
    q_vacancies = rng.sample(vacancies, args.queries)
    lat_s2v, lat_v2s = [], []
    for s in q_seekers:
        ts = time.perf_counter()
        engine.vacancies_for(s, k=20)
        lat_s2v.append((time.perf_counter() - ts) * 1000)
    for v in q_vacancies:
        ts = time.perf_counter()
        engine.seekers_for(v, k=50)
        lat_v2s.append((time.perf_counter() - ts) * 1000)
    report["seeker_to_top20_vacancies"] = _pct(lat_s2v)
    report["vacancy_to_top50_seekers"] = _pct(lat_v2s)

    # incremental update: a seeker rewrites the profile to exactly match a vacancy
    target = q_vacancies[0]
    changed = SeekerRecord(
        id=seekers[0].id,
        title=target.title,
        text=target.text,
        skills=target.skills,
        region=target.region,
        schedule=target.schedule,
        languages=target.languages,
    )
    ts = time.perf_counter()
    engine.upsert(changed)
    visible = any(m.id == changed.id for m in engine.seekers_for(target, k=50))
    report["update_visible_s"] = round(time.perf_counter() - ts, 4)
    report["update_visible"] = visible
    ts = time.perf_counter()
    engine.remove("seeker", changed.id)
    gone = all(m.id != changed.id for m in engine.seekers_for(target, k=50))
    report["remove_visible_s"] = round(time.perf_counter() - ts, 4)
    report["remove_visible"] = gone
    ts = time.perf_counter()
    engine.seekers.compact()
    report["compact_seekers_s"] = round(time.perf_counter() - ts, 2)
    if args.save_dir:
        ts = time.perf_counter()
        engine.save(args.save_dir)
        report["save_s"] = round(time.perf_counter() - ts, 2)
        ts = time.perf_counter()
        MatchEngine.load(args.save_dir, encoder)
        report["load_s"] = round(time.perf_counter() - ts, 2)
    report["peak_rss_mb_end"] = round(peak_rss_mb(), 1)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
