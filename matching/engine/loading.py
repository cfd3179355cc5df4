"""Assemble the taxonomy from the available sources and cache what is derived from it.

Sources, each optional: the project's own files (``matching/data``), the ESCO v1.1.1
CSV zips and the MELO label corpora under ``$ESCO_DIR``. Derived arrays are cached
under ``~/.cache/mobility-matching/<fingerprint>/`` (outside the repository), keyed by a
hash of the input files and of the engine code that interprets them, so a second run
loads in about a second and a changed input or normaliser can never be served stale.
"""

from __future__ import annotations

import ast
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .encoder import EngineConfig, RecordEncoder, TaxonomyIndex
from .taxonomy import Taxonomy, add_melo_labels, esco_paths, load_esco, load_project_taxonomy

__all__ = [
    "PROJECT_DATA_DIR",
    "default_cache_dir",
    "source_files",
    "fingerprint",
    "code_digest",
    "load_taxonomy",
    "load_encoder",
]

PROJECT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
PROJECT_FILES = (
    "isco_groups.tsv",
    "occupations.tsv",
    "skills.tsv",
    "local_skills.tsv",
    "starter_taxonomy.json",
)
_CODE_FILES = (
    "normalize.py",
    "morphology.py",
    "taxonomy.py",
    "textindex.py",
    "titlestems.py",
    "spelling.py",
    "encoder.py",
)


def default_cache_dir() -> Path:
    """``$MATCHING_CACHE_DIR`` or ``~/.cache/mobility-matching``."""
    env = os.environ.get("MATCHING_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "mobility-matching"


def _melo_files(esco_dir: Path) -> list[Path]:
    melo = esco_dir / "melo"
    if not melo.is_dir():
        return []
    out = []
    for ds in sorted(melo.iterdir()):
        if ds.is_dir() and "_c_" in ds.name and not ds.name.endswith("_c_en"):
            for name in ("corpus_elements.tsv.gz", "concept_mapping.tsv.gz"):
                if (ds / name).exists():
                    out.append(ds / name)
    return out


def source_files(
    esco_dir: str | os.PathLike[str] | None, project_dir: str | os.PathLike[str] | None, use_melo: bool = True
) -> list[Path]:
    """Every input file that would be read, in a stable order."""
    files: list[Path] = []
    if project_dir is not None:
        for name in PROJECT_FILES:
            p = Path(project_dir) / name
            if p.exists():
                files.append(p)
    if esco_dir is not None:
        try:
            files.extend(esco_paths(esco_dir))
        except FileNotFoundError:
            pass
        if use_melo:
            files.extend(_melo_files(Path(esco_dir)))
    return files


def code_digest(sources: Iterable[tuple[str, str]]) -> bytes:
    """Hash of Python sources ``(name, text)`` as the interpreter reads them: comments,
    docstrings and line numbers do not count. A reworded comment must not make every web
    process queue a national rebuild (minutes, gigabytes); a changed statement must."""
    h = hashlib.sha256()
    for name, text in sources:
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                body = node.body
                if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                    if isinstance(body[0].value.value, str):
                        node.body = body[1:] or [ast.Pass()]
        h.update(name.encode())
        h.update(ast.dump(tree).encode())
    return h.digest()


@lru_cache(maxsize=1)
def _engine_code_digest() -> bytes:
    here = Path(__file__).resolve().parent
    return code_digest((name, (here / name).read_text(encoding="utf-8")) for name in _CODE_FILES)


def fingerprint(files: Iterable[Path], extra: str = "") -> str:
    """Hash of file contents + engine code (:func:`code_digest`): the cache key."""
    h = hashlib.sha256(extra.encode())
    h.update(_engine_code_digest())
    for f in files:
        h.update(str(f.name).encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:20]


@lru_cache(maxsize=1)
def engine_code_fingerprint() -> str:
    """Hash of the engine code that turns a taxonomy into its index (normalisation, stemmers,
    label matrices): an index built by other code reads titles differently from this code."""
    return fingerprint(())


def load_taxonomy(
    esco_dir: str | os.PathLike[str] | None = None,
    project_dir: str | os.PathLike[str] | None = PROJECT_DATA_DIR,
    use_melo: bool = True,
) -> Taxonomy:
    """Merge ESCO (+ MELO labels) and the project's files into one taxonomy."""
    tax = Taxonomy()
    if esco_dir is not None:
        try:
            zips: tuple[Path, Path] | None = esco_paths(esco_dir)
        except FileNotFoundError:
            zips = None
        if zips is not None:
            tax.merge(load_esco(*zips))
            melo = Path(esco_dir) / "melo"
            if use_melo and melo.is_dir():
                add_melo_labels(tax, melo)
    if project_dir is not None and Path(project_dir).is_dir():
        tax.merge(load_project_taxonomy(project_dir))
    tax.drop_unlabelled_occupations()
    return tax


def load_encoder(
    esco_dir: str | os.PathLike[str] | None = None,
    project_dir: str | os.PathLike[str] | None = PROJECT_DATA_DIR,
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    config: EngineConfig | None = None,
    use_melo: bool = True,
    use_cache: bool = True,
    exclude_labels: str | os.PathLike[str] | None = None,
) -> RecordEncoder:
    """A ready :class:`RecordEncoder`, from the cache when the inputs are unchanged.

    ``exclude_labels`` (TSV: occupation id, label) removes labels before indexing; it
    exists for held-out evaluation (titles the engine has never seen).
    """
    files = source_files(esco_dir, project_dir, use_melo)
    if exclude_labels is not None:
        files.append(Path(exclude_labels))
    fp = fingerprint(files, extra=f"melo={use_melo}")
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    target = cache / fp
    if use_cache and (target / "taxonomy_index.npz").exists():
        try:
            return RecordEncoder(TaxonomyIndex.load(target), config)
        except (ValueError, KeyError, OSError):
            shutil.rmtree(target, ignore_errors=True)
    tax = load_taxonomy(esco_dir, project_dir, use_melo)
    if exclude_labels is not None:
        with open(exclude_labels, encoding="utf-8") as fh:
            pairs = [tuple(line.rstrip("\n").split("\t", 1)) for line in fh if "\t" in line]
        tax.remove_labels((a, b) for a, b in pairs)
    tindex = TaxonomyIndex.build(tax, fingerprint=fp)
    if use_cache:
        _publish(tindex, cache, target)
    return RecordEncoder(tindex, config)


def _publish(tindex: TaxonomyIndex, cache: Path, target: Path) -> None:
    """Save into a folder of this process's own, then rename it into place.

    Web workers and task workers start together and may all find the cache empty: each
    writes its own temporary folder, the first rename wins and the others drop theirs (the
    folders hold the same arrays), so no process reads or deletes another's half-written files.
    """
    cache.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=target.name + ".", suffix=".tmp", dir=cache))
    try:
        tindex.save(tmp)
        if (target / "taxonomy_index.npz").exists():
            return  # another process published the same fingerprint first
        shutil.rmtree(target, ignore_errors=True)  # a broken entry (load failed above)
        try:
            tmp.replace(target)
        except OSError:
            return  # lost the race between the check and the rename
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _prune_cache(cache, keep=3)


def _prune_cache(cache: Path, keep: int) -> None:
    """Keep only the ``keep`` most recent cache entries (each is a few hundred MB)."""
    entries = sorted(
        (p for p in cache.iterdir() if p.is_dir() and not p.name.endswith(".tmp")),
        key=lambda p: p.stat().st_mtime,
    )
    for old in entries[:-keep]:
        shutil.rmtree(old, ignore_errors=True)
    # temporary folders of builds that died (a build takes minutes, not a day)
    for p in cache.glob("*.tmp"):
        try:
            if p.is_dir() and time.time() - p.stat().st_mtime > 86_400:
                shutil.rmtree(p, ignore_errors=True)
        except OSError:
            continue
