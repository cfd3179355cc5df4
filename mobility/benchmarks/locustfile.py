"""The load test's users and load shape (issue #12, item 8); run by `mobility.benchmarks.load`,
which seeds the database and writes the "world" file these users read (LOAD_WORLD).

The mix, fixed: every user makes about LOAD_USER_RATE requests a second (locust's
`constant_throughput`), and the user classes are weighted 7:1:1:1, so with the task weights
within the job seeker:

- 40 % search, `/<lang>/vacancies/?q=…`: a taxonomy title or skill in the seeker's language
  (kk/ru/en), a quarter with a region, some on page 2 or sorted by date (job seekers);
- 20 % "Vacancies for me", `/<lang>/me/for-me/` (job seekers);
- 10 % a vacancy page, `/<lang>/vacancies/<id>/`: one the for-me page listed (`?from=for_me`)
  or any published one (job seekers);
- 10 % ranked candidates, `/ru/employer/vacancies/<id>/candidates/`, a third with a filter
  (the verified employer);
- 10 % the caseload, `/ru/staff/cases/`, pages 1–5, a third `mine=1` (counsellors);
- 10 % the API with the organisation's key: 70 % reads (a region's list, one vacancy),
  30 % bulk upserts of 1–3 vacancies by `external_id`.

Every user signs in through the real pages first (GET the form, POST it with its CSRF token);
counsellors then type the TOTP code of their authenticator, computed with django-otp's `totp`
from the device's key (one counsellor per staff user: a code is good once). The API user sends
the organisation's key as a Bearer token and an `Idempotency-Key` with each upsert.

The load shape (`SteppedLoad`) steps the user count (LOAD_STEPS) and, per step, waits
LOAD_WARMUP seconds (sign-ins, workers loading the index), resets locust's statistics, counts
LOAD_MEASURE seconds, and appends one JSON line to LOAD_OUT: achieved requests per second,
p50/p95/p99 in ms overall and per kind (locust's histogram: two significant digits), failures,
the load average, CPU seconds used in the window by gunicorn (LOAD_SERVER_PID and its workers)
and by the PostgreSQL backends of LOAD_DB_NAME (read from /proc), and locust's own CPU.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
import uuid
from binascii import unhexlify
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django_otp.oath import totp
from locust import FastHttpUser, LoadTestShape, constant_throughput, task

WORLD: dict[str, Any] = (
    json.loads(Path(os.environ["LOAD_WORLD"]).read_text()) if "LOAD_WORLD" in os.environ else {}
)
USER_RATE = float(os.environ.get("LOAD_USER_RATE", "1"))
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
VACANCY_LINK = re.compile(rb"/vacancies/(\d+)/")
SIGN_INS = {"ok": 0, "failed": 0}
_seekers = itertools.count()
_staff = itertools.count()
_api = itertools.count()


class SignedInUser(FastHttpUser):
    abstract = True
    wait_time = constant_throughput(USER_RATE)
    lang = "ru"

    def _form(self, path: str) -> str:
        page = self.client.get(path, name="sign-in")
        found = CSRF.search(page.content or b"")
        if found is None:
            raise RuntimeError(f"no CSRF token on {path} ({page.status_code})")
        return found.group(1).decode()

    def _post(self, path: str, fields: dict[str, str]) -> Any:
        return self.client.post(
            path,
            data=urlencode(fields),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": f"{self.host}{path}"},
            allow_redirects=False,
            name="sign-in",
        )

    def sign_in(self, email: str, code_key: str | None = None) -> None:
        login = f"/{self.lang}/accounts/login/"
        answer = self._post(
            login,
            {"username": email, "password": WORLD["password"], "csrfmiddlewaretoken": self._form(login)},
        )
        location = answer.headers.get("Location", "") if answer.status_code == 302 else ""
        if code_key is not None and "two-factor" in location:
            verify = f"/{self.lang}/accounts/two-factor/verify/"
            for _attempt in range(3):
                code = f"{totp(unhexlify(code_key)):06d}"
                answer = self._post(verify, {"code": code, "csrfmiddlewaretoken": self._form(verify)})
                location = answer.headers.get("Location", "") if answer.status_code == 302 else ""
                if location:
                    break
                time.sleep(31)  # the code of this 30-second step was used: wait for the next
        if not location or "login" in location or "two-factor" in location:
            SIGN_INS["failed"] += 1
            raise RuntimeError(f"sign-in of {email} failed ({answer.status_code} {location})")
        SIGN_INS["ok"] += 1


class JobSeeker(SignedInUser):
    weight = 7

    def on_start(self) -> None:
        self.email = WORLD["seekers"][next(_seekers) % len(WORLD["seekers"])]
        self.lang = WORLD["seeker_languages"].get(self.email, "ru")
        self.shown: list[bytes] = []
        self.sign_in(self.email)

    @task(4)
    def search(self) -> None:
        query: dict[str, Any] = {"q": random.choice(WORLD["queries"][self.lang])}
        if random.random() < 0.25:
            query["region"] = random.choice(WORLD["regions"])
        if random.random() < 0.15:
            query["page"] = 2
        elif random.random() < 0.1:
            query["sort"] = "date"
        self.client.get(f"/{self.lang}/vacancies/?{urlencode(query)}", name="search")

    @task(2)
    def for_me(self) -> None:
        page = self.client.get(f"/{self.lang}/me/for-me/", name="for me")
        self.shown = VACANCY_LINK.findall(page.content or b"")[:20]

    @task(1)
    def vacancy(self) -> None:
        if self.shown and random.random() < 0.6:
            path = f"/{self.lang}/vacancies/{random.choice(self.shown).decode()}/?from=for_me"
        else:
            path = f"/{self.lang}/vacancies/{random.choice(WORLD['vacancies'])}/"
        self.client.get(path, name="vacancy page")


class Employer(SignedInUser):
    weight = 1

    def on_start(self) -> None:
        self.sign_in(WORLD["employer"])

    @task
    def candidates(self) -> None:
        vacancy = random.choice(WORLD["employer_vacancies"])
        query = random.choice(["", "", "", "?region=same", "?sort=salary", "?min_percent=40"])
        self.client.get(f"/ru/employer/vacancies/{vacancy}/candidates/{query}", name="candidates")


class Counsellor(SignedInUser):
    weight = 1

    def on_start(self) -> None:
        me = WORLD["staff"][next(_staff) % len(WORLD["staff"])]
        self.sign_in(me["email"], code_key=me["key"])

    @task
    def caseload(self) -> None:
        query: dict[str, Any] = {}
        if random.random() < 0.33:
            query["mine"] = 1
        page = random.choice([1, 1, 1, 2, 3, 4, 5])
        if page > 1:
            query["page"] = page
        self.client.get(f"/ru/staff/cases/?{urlencode(query)}".rstrip("?"), name="caseload")


class ApiClient(FastHttpUser):
    weight = 1
    wait_time = constant_throughput(USER_RATE)

    def on_start(self) -> None:
        self.client.auth_header = f"Bearer {WORLD['api_key']}"
        mine = next(_api)
        ids = WORLD["api_external_ids"]
        # each API user updates its own slice of the partner's ids (no two write the same row)
        self.external_ids = ids[mine % 8 :: 8] or ids

    @task(7)
    def read(self) -> None:
        if random.random() < 0.5:
            region = random.choice(WORLD["regions"])
            self.client.get(f"/api/v1/vacancies/?region={region}&page_size=20", name="api read")
        else:
            self.client.get(f"/api/v1/vacancies/{random.choice(WORLD['vacancies'])}/", name="api read")

    @task(3)
    def upsert(self) -> None:
        items = []
        for external_id in random.sample(
            self.external_ids, min(len(self.external_ids), random.randint(1, 3))
        ):
            low = random.randrange(150_000, 400_000, 5000)
            items.append(
                {
                    "external_id": external_id,
                    "title": random.choice(WORLD["queries"]["ru"]).capitalize(),
                    "region": random.choice(WORLD["regions"]),
                    "salary_min": low,
                    "salary_max": low + 50_000,
                    "required_skills": random.sample(WORLD["queries"]["ru"], 3),
                    "status": "published",
                }
            )
        self.client.post(
            "/api/v1/vacancies/bulk/",
            json={"vacancies": items},
            headers={"Idempotency-Key": str(uuid.uuid4())},
            name="api upsert",
        )


# --- CPU read from /proc (Linux) --------------------------------------------------------------

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: str) -> tuple[int, float, float] | None:
    """(parent pid, own CPU seconds, reaped children's CPU seconds) of a process."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw.rsplit(")", 1)[1].split()
    own = (int(fields[11]) + int(fields[12])) / TICKS
    children = (int(fields[13]) + int(fields[14])) / TICKS
    return int(fields[1]), own, children


def server_cpu(master: int, database: str) -> tuple[float, dict[str, float]]:
    """gunicorn's CPU seconds so far (the master, its live workers, and its reaped workers
    through the master's children's time) and each live PostgreSQL backend of `database`."""
    gunicorn = 0.0
    backends: dict[str, float] = {}
    marker = f" {database} ".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        stat = _stat(entry.name)
        if stat is None:
            continue
        parent, own, children = stat
        if entry.name == str(master):
            gunicorn += own + children
        elif parent == master:
            gunicorn += own
        else:
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if cmdline.startswith(b"postgres: ") and marker in cmdline:
                backends[entry.name] = own
    return gunicorn, backends


class SteppedLoad(LoadTestShape):
    """Steps of users, each warmed up, then measured; one JSON line per step to LOAD_OUT."""

    def __init__(self) -> None:
        super().__init__()
        self.steps = [int(s) for s in os.environ.get("LOAD_STEPS", "10").split(",") if s]
        self.warmup = float(os.environ.get("LOAD_WARMUP", "20"))
        self.measure = float(os.environ.get("LOAD_MEASURE", "60"))
        self.spawn_rate = float(os.environ.get("LOAD_SPAWN_RATE", "10"))
        self.out = Path(os.environ.get("LOAD_OUT", "load-steps.jsonl"))
        self.master = int(os.environ.get("LOAD_SERVER_PID", "0"))
        self.database = os.environ.get("LOAD_DB_NAME", "")
        self.measuring: int | None = None
        self.begun = -1
        self.started = 0.0
        self.cpu: tuple[float, dict[str, float], float] = (0.0, {}, 0.0)

    def _begin(self, index: int) -> None:
        assert self.runner is not None
        self.runner.environment.stats.reset_all()
        gunicorn, backends = server_cpu(self.master, self.database)
        self.cpu = (gunicorn, backends, time.process_time())
        self.measuring, self.started = index, time.monotonic()

    def _finish(self) -> None:
        assert self.runner is not None and self.measuring is not None
        seconds = time.monotonic() - self.started
        gunicorn, backends = server_cpu(self.master, self.database)
        before_gunicorn, before_backends, before_locust = self.cpu
        db = sum(cpu - before_backends.get(pid, 0.0) for pid, cpu in backends.items())
        stats = self.runner.environment.stats
        total = stats.total
        requests = total.num_requests
        kinds = {}
        for (name, _method), entry in sorted(stats.entries.items()):
            if entry.num_requests == 0:
                continue
            kinds[name] = {
                "requests": entry.num_requests,
                "failures": entry.num_failures,
                "share": round(entry.num_requests / max(requests, 1), 3),
                "p50_ms": entry.get_response_time_percentile(0.5),
                "p95_ms": entry.get_response_time_percentile(0.95),
                "p99_ms": entry.get_response_time_percentile(0.99),
                "max_ms": round(entry.max_response_time or 0),
            }
        figures = {
            "users": self.steps[self.measuring],
            "seconds": round(seconds, 1),
            "requests": requests,
            "failures": total.num_failures,
            "rps": round(requests / seconds, 2) if seconds else 0.0,
            "p50_ms": total.get_response_time_percentile(0.5) or 0,
            "p95_ms": total.get_response_time_percentile(0.95) or 0,
            "p99_ms": total.get_response_time_percentile(0.99) or 0,
            "kinds": kinds,
            "errors": [f"{e.method} {e.name}: {e.error} x{e.occurrences}" for e in stats.errors.values()][
                :10
            ],
            "sign_ins": dict(SIGN_INS),
            "load_average": round(os.getloadavg()[0], 2),
            "server_cpu_ms_per_request": round((gunicorn - before_gunicorn) * 1000 / max(requests, 1), 2),
            "db_cpu_ms_per_request": round(db * 1000 / max(requests, 1), 2),
            "locust_cpu_share": round((time.process_time() - before_locust) / seconds, 3) if seconds else 0.0,
            "server_cpu_share": round((gunicorn - before_gunicorn) / seconds, 3) if seconds else 0.0,
            "db_cpu_share": round(db / seconds, 3) if seconds else 0.0,
        }
        with self.out.open("a") as out:
            out.write(json.dumps(figures, ensure_ascii=False) + "\n")
        self.measuring = None

    def tick(self) -> tuple[int, float] | None:
        period = self.warmup + self.measure
        elapsed = self.get_run_time()
        index = int(elapsed // period)
        if self.measuring is not None and index != self.measuring:
            self._finish()
        if index >= len(self.steps):
            return None
        if self.measuring is None and index > self.begun and elapsed - index * period >= self.warmup:
            self.begun = index
            self._begin(index)
        return self.steps[index], self.spawn_rate
