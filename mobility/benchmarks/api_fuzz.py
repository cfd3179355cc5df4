"""The whole API fuzzed from outside (issue #12): schemathesis with `--checks all` against a live
gunicorn serving seeded demo data, once per caller: anonymous, an organisation's API key, a
centre's API key and a job seeker's personal token. Prints per role the operations, the
examples sent and the failures by kind; exits 1 when any role has a failure.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/fuzz_ops \\
        nice -n 10 .venv/bin/python -m mobility.benchmarks.api_fuzz --examples 150

Without BENCH_DATABASE_URL it runs on a temporary SQLite file (for the smoke test only: the
figures in docs/benchmarks.md are from PostgreSQL, which refuses what SQLite forgives).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from mobility.benchmarks._setup import ROOT, free_port, gunicorn_start, start_django

SCHEMA = ROOT / "docs" / "openapi.yaml"
ROLES = ("anonymous", "organisation_key", "centre_key", "seeker_token")


def _seed() -> dict[str, str | None]:
    """The demo world (what `make seed` loads) and one credential per role."""
    from django.core.management import call_command

    from mobility import demo
    from mobility.accounts.models import Organisation, User
    from mobility.api import services as api_services
    from mobility.api.models import CENTRE_SCOPES, ORGANISATION_SCOPES
    from mobility.reference.models import Centre

    call_command("load_taxonomy", verbosity=0)
    call_command("load_holidays", years="2024-2030", verbosity=0)
    demo.seed()
    organisation = Organisation.objects.filter(status=Organisation.Status.VERIFIED).order_by("pk").first()
    centre = Centre.objects.get(code="KZ-55-pavlodar")
    seeker = User.objects.get(email="aigerim@demo.kz")
    rate = 1_000_000  # the run is about answers, not about the rate limit (429 is documented anyway)
    return {
        "anonymous": None,
        "organisation_key": api_services.api_key_create(
            name="fuzz",
            scopes=list(ORGANISATION_SCOPES),
            by=None,
            organisation=organisation,
            centre=None,
            rate_per_minute=rate,
        )[1],
        "centre_key": api_services.api_key_create(
            name="fuzz",
            scopes=list(CENTRE_SCOPES),
            by=None,
            organisation=None,
            centre=centre,
            rate_per_minute=rate,
        )[1],
        "seeker_token": api_services.personal_token_create(user=seeker, name="fuzz")[1],
    }


def _fuzz(role: str, secret: str | None, *, port: int, examples: int, seed: int, workdir: Path) -> dict:
    report = workdir / f"{role}.junit.xml"
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        str(SCHEMA),
        "--url",
        f"http://127.0.0.1:{port}",
        "--checks",
        "all",
        "--max-examples",
        str(examples),
        "--seed",
        str(seed),
        "--workers",
        "2",
        "--continue-on-failure",
        "--no-color",
        "--generation-database",
        "none",
        "--suppress-health-check",
        "all",
        "--request-timeout",
        "60",
        "--report",
        "junit",
        "--report-junit-path",
        str(report),
    ]
    if secret:
        command += ["--header", f"Authorization: Bearer {secret}"]
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)  # noqa: S603 - fixed arguments
    (workdir / f"{role}.txt").write_text(result.stdout + result.stderr)
    summary = _summarise(result.stdout)
    summary["seconds"] = round(time.monotonic() - started)
    summary["exit"] = result.returncode
    return summary


def _summarise(output: str) -> dict:
    """Operations, examples (test cases generated) and failures by kind, from the summary that
    `schemathesis run` prints (its event log does not carry the checks)."""
    tested = re.search(r"^\s*Tested: (\d+)", output, re.MULTILINE)
    cases = re.search(r"^\s*(\d+) generated", output, re.MULTILINE)
    failures: dict[str, int] = {}
    section = output.split("\nFailures:\n", 1)[1] if "\nFailures:\n" in output else ""
    for line in section.split("\n\n", 1)[0].splitlines():
        found = re.match(r"^\s*\S+\s+(ST\d+ .+?): (\d+)$", line)
        if found:
            failures[found.group(1)] = int(found.group(2))
    errors = re.search(r"^Errors:\n(.*?)\n\n", output, re.MULTILINE | re.DOTALL)
    return {
        "operations": int(tested.group(1)) if tested else 0,
        "examples": int(cases.group(1)) if cases else 0,
        "failures": failures,
        "errors": len(errors.group(1).splitlines()) if errors else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--examples", type=int, default=150, help="examples per operation and role")
    parser.add_argument("--roles", default=",".join(ROLES), help="comma-separated, from: " + ", ".join(ROLES))
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the working folder (logs, reports)")
    args = parser.parse_args()
    roles = [role for role in args.roles.split(",") if role]
    unknown = set(roles) - set(ROLES)
    if unknown:
        parser.error(f"unknown roles: {sorted(unknown)}")

    workdir = start_django("api-fuzz-")
    from django.db import connection

    credentials = _seed()
    connection.close()
    port = free_port()
    server = gunicorn_start(port=port, logs=workdir, name="fuzz", workers=args.workers)
    failed = False
    try:
        for role in roles:
            summary = _fuzz(
                role, credentials[role], port=port, examples=args.examples, seed=args.seed, workdir=workdir
            )
            kinds = (
                ", ".join(f"{name}={count}" for name, count in sorted(summary["failures"].items())) or "none"
            )
            print(
                f"{role}: operations={summary['operations']} examples={summary['examples']} "
                f"failures={sum(summary['failures'].values())} ({kinds}) errors={summary['errors']} "
                f"seconds={summary['seconds']}",
                flush=True,
            )
            failed = failed or bool(summary["failures"]) or bool(summary["errors"])
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"reports: {workdir}" if args.keep or failed else "reports: removed", flush=True)
    if not (args.keep or failed):
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"api_fuzz_failed={int(failed)}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
