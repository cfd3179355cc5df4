"""National-scale synthetic benchmark: build time, peak memory, update visibility, query latency.

    python -m matching.bench.scale --vacancies 200000 --seekers 1000000 [--queries 200]

Records are generated from the loaded taxonomy (ESCO + MELO under ``$ESCO_DIR`` when set,
plus the project's files): occupations drawn with a Zipf-like popularity, and by default
written as people write them (:class:`RealisticGenerator`: ru/kk/en, decorated, misspelt,
Kazakh without its letters, Russian in Latin letters, numbers attached, skills as prose);
``--labels-only`` restores the old generator (titles mostly taxonomy labels, 5 % noise).
Queries build explanations (with the calibrated score and reason); with ``--save-dir`` a fresh
process loads the saved artifact memory-mapped and reports its private memory (per web worker).
The build encodes in ``--workers`` forked processes (default: one per core); its memory is
reported for this process alone (peak RSS) and for it and its workers together (peak PSS).
Targets: build < 10 min, peak memory < 6 GB, an updated profile visible in < 5 s, p95 < 50 ms
for top-50 seekers of a vacancy (1M) and top-20 vacancies of a seeker (200k).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import threading
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


def _cpu_s(who: int) -> float:
    ru = resource.getrusage(who)
    return ru.ru_utime + ru.ru_stime


def smaps_rollup_kb(pid: int | str = "self") -> dict[str, int]:
    """A process's memory summary from ``/proc/<pid>/smaps_rollup`` in kB (Rss, Pss, Private_Dirty,
    ...); empty when the process is gone. Read here for the build's tree and by the web-worker
    probe (``_WORKER``)."""
    out: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                key, _, value = line.partition(":")
                if value.strip().endswith("kB"):
                    out[key] = int(value.split()[0])
    except OSError:
        pass
    return out


def _pss_kb(pid: int) -> int:
    return smaps_rollup_kb(pid).get("Pss", 0)


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out.extend(int(c) for c in fh.read().split())
        except OSError:
            continue
    return out


class TreeMemory:
    """The peak memory of this process and its encoding workers together, sampled every second.

    Forked workers share the parent's pages copy-on-write, so adding up their RSS would count the
    shared pages once per process; PSS splits each shared page between the processes mapping it,
    and its sum over the tree is the memory the build really holds.
    """

    def __init__(self, interval: float = 1.0):
        self.interval = interval
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            total = _pss_kb(me) + sum(_pss_kb(c) for c in _children(me))
            self.peak_kb = max(self.peak_kb, total)
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return round(self.peak_kb / 1024.0, 1)


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


KK_ONLY = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
KK_FOLD = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")
RU_LATIN = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
        "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
        "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sch",
        "ы": "y", "э": "e", "ю": "yu", "я": "ya", "ь": "", "ъ": "",
    }
)  # fmt: skip
PREFIXES = {
    "ru": ["Требуется", "Срочно требуется", "Вакансия:", "Ищем", "Приглашаем на работу"],
    "kk": ["Жұмысқа шақырамыз", "Керек", "Бос орын:", "Іздейміз"],
    "en": ["Hiring", "Senior", "Junior", "Urgent:"],
}
SUFFIXES = {
    "ru": ["(м/ж)", "в г. Алматы", "вахта 15/15", "без опыта", "ЗП от 300 000 тг", "на завод", "3 разряда"],
    "kk": ["Астана қаласында", "вахта", "тәжірибесіз", "жалақы 250 000 тг"],
    "en": ["(m/f/d)", "– Almaty", "full time", "night shift"],
}
PROSE = {
    "ru": ["Опыт работы: {}.", "Умею: {}.", "Владею навыками — {}.", "Обязанности: {}. Опыт от 1 года."],
    "kk": ["Тәжірибем бар: {}.", "Білемін: {}.", "Міндеттері: {}."],
    "en": ["Experience in {}.", "Skilled at {}.", "Duties: {}."],
}


def _script_lang(text: str) -> str:
    if any(c in KK_ONLY for c in text):
        return "kk"
    if any("\u0400" <= c <= "\u04ff" for c in text):
        return "ru"
    return "en"


class RealisticGenerator(Generator):
    """Records written as people write them on Kazakhstan's job boards: the language drawn
    (ru 55 %, kk 25 %, en 20 %) before the label, titles decorated (40 %), misspelt (15 %),
    Kazakh typed without its letters (30 % of kk), Russian typed in Latin letters (5 %), a number
    or grade often attached (so titles rarely repeat exactly), skills written as prose (40 %) and
    misspelt (15 %). Far from taxonomy labels: the encoder's memo helps much less."""

    def __init__(self, encoder: RecordEncoder, seed: int = 7):
        super().__init__(encoder, seed)
        self.by_lang: list[dict[str, list[str]]] = []
        for k, o in enumerate(self.occs):
            groups: dict[str, list[str]] = {"ru": [], "kk": [], "en": [self.t.occ_names[o]]}
            for label in self.titles[k]:
                lang = _script_lang(label)
                if lang != "en":
                    groups[lang].append(label)
            self.by_lang.append(groups)

    def _lang(self) -> str:
        r = self.rng.random()
        return "ru" if r < 0.55 else "kk" if r < 0.8 else "en"

    def _typo(self, text: str) -> str:
        if len(text) < 5:
            return text
        i = self.rng.randrange(1, len(text) - 1)
        op = self.rng.random()
        if op < 0.4:
            return text[:i] + text[i + 1 :]
        if op < 0.7:
            return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]
        return text[:i] + text[i] + text[i:]

    def _title(self, k: int) -> str:
        lang = self._lang()
        labels = self.by_lang[k][lang] or self.by_lang[k]["ru"] or self.by_lang[k]["en"]
        title = self.rng.choice(labels[:8])
        lang = _script_lang(title)
        if self.rng.random() < 0.4:
            if self.rng.random() < 0.5:
                title = f"{self.rng.choice(PREFIXES[lang])} {title.lower()}"
            else:
                title = f"{title} {self.rng.choice(SUFFIXES[lang])}"
        if self.rng.random() < 0.3:
            title = f"{title} {self.rng.randint(1, 6)}"
        if self.rng.random() < 0.15:
            title = self._typo(title)
        if lang == "kk" and self.rng.random() < 0.3:
            title = title.translate(KK_FOLD)
        elif lang == "ru" and self.rng.random() < 0.05:
            title = title.lower().translate(RU_LATIN)
        if self.rng.random() < 0.2:
            title = title.upper() if self.rng.random() < 0.3 else title.lower()
        return title

    def _skills(self, k: int) -> tuple[tuple[str, ...], str]:
        pool = self.skills[k]
        chosen = self.rng.sample(pool, min(len(pool), self.rng.randint(3, 10)))
        names = [self.t.skill_names[s] for s in chosen]
        names = [self._typo(n) if self.rng.random() < 0.15 else n for n in names]
        if self.rng.random() < 0.4:
            lang = self._lang()
            return (), self.rng.choice(PROSE[lang]).format(", ".join(n.lower() for n in names))
        return tuple(names), ""


def _pct(xs: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(float(np.percentile(xs, 50)), 2),
        "p95_ms": round(float(np.percentile(xs, 95)), 2),
        "max_ms": round(float(np.max(xs)), 2),
    }


_WORKER = """
import json, os, sys, time
from matching.engine import MatchEngine, load_encoder
from matching.engine.records import SeekerRecord, VacancyRecord
from matching.bench.scale import smaps_rollup_kb
def mem():
    kb = smaps_rollup_kb()
    keys = ("Rss", "Pss", "Private_Clean", "Private_Dirty", "Shared_Clean")
    return {k: round(kb[k] / 1024, 1) for k in keys if k in kb}
enc = load_encoder(os.environ.get("ESCO_DIR") or None)
base = mem()
t0 = time.perf_counter()
eng = MatchEngine.load(sys.argv[1], enc)
load_s = time.perf_counter() - t0
qs = json.loads(sys.stdin.read())
for s in qs["s"]:
    eng.vacancies_for(SeekerRecord(**s), k=20)
for v in qs["v"]:
    eng.seekers_for(VacancyRecord(**v), k=50)
print(json.dumps({"after_taxonomy": base, "after_load_and_queries": mem(), "load_s": round(load_s, 2)}))
"""


def _worker_memory(directory: str, seekers: list[SeekerRecord], vacancies: list[VacancyRecord]) -> Any:
    """A fresh process as a web worker: load the saved artifact (memory-mapped), answer queries;
    its private memory is what each extra worker costs (the mapped index is shared)."""
    import dataclasses
    import subprocess

    payload = json.dumps(
        {
            "s": [{k: v for k, v in dataclasses.asdict(r).items()} for r in seekers],
            "v": [{k: v for k, v in dataclasses.asdict(r).items()} for r in vacancies],
        }
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", _WORKER, directory], input=payload, capture_output=True, text=True, check=False
    )
    return json.loads(done.stdout) if done.returncode == 0 else {"error": done.stderr[-500:]}


def main(argv: list[str] | None = None) -> int:
    """Run the scale benchmark and print one JSON report."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vacancies", type=int, default=200_000)
    ap.add_argument("--seekers", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--save-dir", help="also time save/load into this directory")
    ap.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="processes encoding the build (default: the machine's cores; 1 encodes in this process)",
    )
    ap.add_argument("--batch", type=int, default=20_000, help="records per encoding batch (a worker's unit)")
    ap.add_argument(
        "--labels-only", action="store_true", help="the old generator: titles mostly taxonomy labels"
    )
    args = ap.parse_args(argv)
    report: dict[str, Any] = {"vacancies": args.vacancies, "seekers": args.seekers}

    t0 = time.perf_counter()
    encoder = load_encoder(os.environ.get("ESCO_DIR") or None)
    report["taxonomy_load_s"] = round(time.perf_counter() - t0, 2)
    gen = Generator(encoder) if args.labels_only else RealisticGenerator(encoder)
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
    report["build_workers"] = args.workers
    # Wall time and CPU time (this process and its encoding workers): on a shared machine the
    # second says what the build itself costs, the first what it took under that load.
    with TreeMemory() as tree:
        for side, index, records in (
            ("vacancies", engine.vacancies, vacancies),
            ("seekers", engine.seekers, seekers),
        ):
            t0, c0 = time.perf_counter(), _cpu_s(resource.RUSAGE_SELF) + _cpu_s(resource.RUSAGE_CHILDREN)
            index.build(records, batch=args.batch, workers=args.workers)
            report[f"build_{side}_s"] = round(time.perf_counter() - t0, 2)
            cpu = _cpu_s(resource.RUSAGE_SELF) + _cpu_s(resource.RUSAGE_CHILDREN) - c0
            report[f"build_{side}_cpu_s"] = round(cpu, 2)
            print(f"{side} index built in {report[f'build_{side}_s']}s", file=sys.stderr)
    report["build_total_s"] = round(report["build_vacancies_s"] + report["build_seekers_s"], 2)
    report["peak_rss_mb"] = round(peak_rss_mb(), 1)
    report["peak_rss_mb_before_build"] = round(rss_before, 1)
    # the build's memory: this process and its workers together (PSS, sampled each second), and
    # the largest worker's own peak RSS (shared pages included)
    report["peak_build_pss_mb"] = tree.peak_mb
    report["peak_worker_rss_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0, 1)
    print(
        f"built; peak rss {report['peak_rss_mb']} MB, with workers (pss) {report['peak_build_pss_mb']} MB",
        file=sys.stderr,
    )

    encoder.clear_memo()
    rng = random.Random(11)  # noqa: S311 - synthetic benchmark data
    q_seekers = rng.sample(seekers, args.queries)
    q_vacancies = rng.sample(vacancies, args.queries)
    lat_s2v, lat_v2s = [], []
    cpu_s2v, cpu_v2s = [], []
    for s in q_seekers:  # with explanations, calibrated score and reason (what pages get)
        ts, tc = time.perf_counter(), time.thread_time()
        engine.vacancies_for(s, k=20)
        lat_s2v.append((time.perf_counter() - ts) * 1000)
        cpu_s2v.append((time.thread_time() - tc) * 1000)
    for v in q_vacancies:
        ts, tc = time.perf_counter(), time.thread_time()
        engine.seekers_for(v, k=50)
        lat_v2s.append((time.perf_counter() - ts) * 1000)
        cpu_v2s.append((time.thread_time() - tc) * 1000)
    report["seeker_to_top20_vacancies"] = _pct(lat_s2v)
    report["vacancy_to_top50_seekers"] = _pct(lat_v2s)
    report["seeker_to_top20_vacancies_cpu"] = _pct(cpu_s2v)
    report["vacancy_to_top50_seekers_cpu"] = _pct(cpu_v2s)

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
        report["web_worker"] = _worker_memory(args.save_dir, q_seekers[:50], q_vacancies[:50])
    report["peak_rss_mb_end"] = round(peak_rss_mb(), 1)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
