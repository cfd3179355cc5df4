"""The project's own taxonomy files stay well-formed: every ISCO-08 group in kk and ru, at
least 500 common occupations, a consistent starter taxonomy (matching/data/check_data.py)."""

from matching.data import check_data


def test_project_taxonomy_files_pass_their_checks(capsys):
    assert check_data.main([]) == 0, capsys.readouterr().out


def test_every_esco_uri_and_isco_code_exists_in_esco(capsys):
    import os
    from pathlib import Path

    import pytest

    default = Path(__file__).resolve().parents[3] / "shared" / "matching-eval-data"
    base = Path(os.environ.get("ESCO_DIR", default))
    zip_path = base / "esco-v1.1.1" / "esco_v1.1.1_classification_en_csv.zip"
    if not zip_path.exists():
        pytest.skip("ESCO release not present (../shared/matching-eval-data); cross-check skipped")
    assert check_data.main(["--esco", str(zip_path), "-q"]) == 0, capsys.readouterr().out
