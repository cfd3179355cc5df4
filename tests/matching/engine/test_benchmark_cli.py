"""The benchmark CLI contract on tiny files with the fixture-free project taxonomy."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from matching import benchmark


def _write(path: Path, rows: list[dict[str, object]]) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def test_cli_writes_trec_run_and_timing_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("ESCO_DIR", raising=False)
    monkeypatch.setenv("MATCHING_CACHE_DIR", str(tmp_path / "cache"))
    _write(
        tmp_path / "v.jsonl.gz",
        [
            {"id": "v1", "title": "Бухгалтер", "description": "", "skills": [], "lang": "ru"},
            {"id": "v2", "title": "Сварщик", "description": "", "skills": [], "lang": "ru"},
        ],
    )
    _write(
        tmp_path / "s.jsonl.gz", [{"id": "s1", "title": "Есепші", "summary": "", "skills": [], "lang": "kk"}]
    )
    (tmp_path / "q.txt").write_text("v2\n")
    out = tmp_path / "run.tsv"
    for direction, extra in (
        ("seeker-to-vacancy", []),
        ("vacancy-to-seeker", ["--queries", str(tmp_path / "q.txt")]),
    ):
        rc = benchmark.main(
            [
                "--vacancies",
                str(tmp_path / "v.jsonl.gz"),
                "--seekers",
                str(tmp_path / "s.jsonl.gz"),
                "--direction",
                direction,
                *extra,
                "--top",
                "100",
                "--out",
                str(out),
            ]
        )
        assert rc == 0
        last = capsys.readouterr().out.strip().splitlines()[-1]
        parts = dict(p.split("=") for p in last.split())
        assert list(parts) == ["build_s", "p50_ms", "p95_ms", "queries"]
        assert int(parts["queries"]) == 1
        for line in out.read_text().splitlines():
            qid, q0, _docid, rank, score, _tag = line.split()
            assert q0 == "Q0" and int(rank) >= 1 and float(score) >= 0


def test_explain_keeps_the_contract_and_reports_cpu_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("ESCO_DIR", raising=False)
    monkeypatch.setenv("MATCHING_CACHE_DIR", str(tmp_path / "cache"))
    _write(tmp_path / "v.jsonl.gz", [{"id": "v1", "title": "Бухгалтер", "description": "", "skills": []}])
    _write(tmp_path / "s.jsonl.gz", [{"id": "s1", "title": "Есепші", "summary": "", "skills": []}])
    out = tmp_path / "run.tsv"
    argv = ["--vacancies", str(tmp_path / "v.jsonl.gz"), "--seekers", str(tmp_path / "s.jsonl.gz")]
    rc = benchmark.main([*argv, "--direction", "seeker-to-vacancy", "--out", str(out), "--explain"])
    assert rc == 0
    captured = capsys.readouterr()
    last = captured.out.strip().splitlines()[-1]
    assert [p.split("=")[0] for p in last.split()] == ["build_s", "p50_ms", "p95_ms", "queries"]
    assert "cpu_p50_ms=" in captured.err
    assert out.read_text().split()[2] == "v1"
