"""Which notebooks need executing: a content digest of each notebook's inputs, kept beside its outputs.

A notebook's stored outputs are up to date when nothing they were computed from has changed since the
job (or ``scripts/run_notebook.py``) wrote them:

  code      its code cells' source and tags (the parameters cell included) and its kernel
  helpers   every ``helpers/*.py``
  data      every file below ``data/``
  lock      ``requirements.lock``
  python    the interpreter (implementation and version)
  executor  ``sitebuild/execute.py`` (it shapes the stored outputs: normalisation, stream merging)

plus ``outputs``: the digest of the code cells' outputs and execution counts as written, so that outputs
changed by hand (a notebook run and saved in JupyterLab) are not mistaken for the job's. Markdown is not
an input: editing prose re-renders the page without executing anything.

The records live in ``notebooks/digests.json``, which is committed, like the outputs it vouches for
(the same choice as Quarto's ``_freeze/``): a fresh clone then executes only what differs from the
commit, e.g. nothing at all when it runs the same Python version. A record can never hide a broken
notebook: CI and ``make test`` execute every notebook under nbval whatever the records say, and a
record that does not match its notebook (edited code, hand-run outputs, another Python) simply means
"execute it". jupyter-cache was not used: it would keep a second copy of every executed notebook in a
SQLite store (ours are committed with their outputs already), its hash covers only the notebook, not
the helpers, data, lock or Python version, and it would add SQLAlchemy and more to the lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import platform
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RECORDS_NAME = "digests.json"
ABOUT = (
    "Written by sitebuild/build.py and scripts/run_notebook.py: for each notebook, digests of the inputs "
    "its stored outputs were computed from, and of those outputs. `make` executes a notebook only when one "
    "differs; `make rerun` executes all. See sitebuild/digests.py."
)
SHARED_KINDS = ("helpers", "data", "lock", "python", "executor")
SHORT = 16  # hex digits kept: readable diffs, and far beyond any chance of collision here


def _hash(chunks: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(len(chunk).to_bytes(8, "big"))  # length-prefixed: no two inputs run together
        digest.update(chunk)
    return digest.hexdigest()[:SHORT]


def _files(root: Path, paths: Iterable[Path]) -> Iterator[bytes]:
    for path in sorted(paths):
        yield path.relative_to(root).as_posix().encode()
        yield path.read_bytes()


def shared_inputs(root: Path = ROOT) -> dict[str, str]:
    """Digests of the inputs every notebook shares (computed once per job)."""
    data = [p for p in (root / "data").rglob("*") if p.is_file()] if (root / "data").is_dir() else []
    lock = root / "requirements.lock"
    executor = root / "sitebuild/execute.py"
    return {
        "helpers": _hash(_files(root, (root / "helpers").glob("*.py"))),
        "data": _hash(_files(root, data)),
        "lock": _hash([lock.read_bytes() if lock.exists() else b""]),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "executor": _hash([executor.read_bytes() if executor.exists() else b""]),
    }


def code_digest(nb: dict[str, Any]) -> str:
    """Digest of what the kernel executes: code cells' source and tags, and the kernel's name."""
    kernel = nb.get("metadata", {}).get("kernelspec", {}).get("name", "")
    chunks = [str(kernel).encode()]
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            chunks.append("".join(source).encode() if isinstance(source, list) else str(source).encode())
            chunks.append(json.dumps(sorted(cell.get("metadata", {}).get("tags", []))).encode())
    return _hash(chunks)


def outputs_digest(nb: dict[str, Any]) -> str:
    """Digest of the code cells' outputs and execution counts (what executing a notebook produces)."""
    chunks = [
        json.dumps([cell.get("execution_count"), cell.get("outputs", [])], sort_keys=True).encode()
        for cell in nb.get("cells", [])
        if cell.get("cell_type") == "code"
    ]
    return _hash(chunks)


def read_notebook_json(path: Path) -> dict[str, Any]:
    """The notebook as plain JSON ({} if it cannot be parsed: then it always needs executing)."""
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def inputs_of(path: Path, shared: dict[str, str]) -> dict[str, str]:
    """The input digests of one notebook as it is on disk now."""
    return {"code": code_digest(read_notebook_json(path)), **shared}


def load_records(folder: Path) -> dict[str, dict[str, str]]:
    """notebook file name -> its record ({} when there is no records file or it is unreadable)."""
    try:
        loaded = json.loads((folder / RECORDS_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    notebooks = loaded.get("notebooks", {}) if isinstance(loaded, dict) else {}
    return notebooks if isinstance(notebooks, dict) else {}


def stale_reason(path: Path, inputs: dict[str, str], records: dict[str, dict[str, str]]) -> str:
    """Why ``path`` must be executed ("" when its stored outputs are up to date)."""
    record = records.get(path.name)
    if not record:
        return "no record of its inputs"
    changed = [kind for kind in ("code", *SHARED_KINDS) if record.get(kind) != inputs.get(kind)]
    if changed:
        return ", ".join(changed) + " changed"
    if record.get("outputs") != outputs_digest(read_notebook_json(path)):
        return "its outputs are not the ones the job wrote"
    return ""


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on the notebooks folder (several runs may record at once)."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        os.close(handle)


def render_records(records: dict[str, dict[str, str]]) -> str:
    """The records file's text: sorted, one notebook per block, stable across runs."""
    body = {"about": ABOUT, "notebooks": {name: dict(sorted(records[name].items())) for name in sorted(records)}}
    return json.dumps(body, indent=1, sort_keys=False) + "\n"


def update_records(
    folder: Path, written: dict[str, dict[str, str]] | None = None, keep_only: Iterable[str] | None = None
) -> bool:
    """Store the records of notebooks just written (name -> inputs + outputs) and drop records of
    notebooks not in ``keep_only`` (when given); return whether the file changed."""
    with _locked(folder):
        records = load_records(folder)
        records.update(written or {})
        if keep_only is not None:
            keep = set(keep_only)
            records = {name: record for name, record in records.items() if name in keep}
        path = folder / RECORDS_NAME
        text = render_records(records)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            return False
        tmp = path.with_name(f".{RECORDS_NAME}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        return True


def record_for(inputs: dict[str, str], notebook_text: str) -> dict[str, str]:
    """The record of a notebook written with ``notebook_text`` from ``inputs``."""
    return {**inputs, "outputs": outputs_digest(json.loads(notebook_text))}


# The site. A build whose inputs are the same as the last one's, into a site folder that is still as that
# build left it, has nothing to render: the job then stops after checking, in a fraction of a second.
SITE_STAMP = ".build-inputs.json"  # in the site folder; not a page, no link points to it


def tree_digest(paths: Iterable[Path], skip: Iterable[Path] = ()) -> str:
    """Digest of the files at or below ``paths`` (names and bytes; caches and ``skip`` left out)."""
    skipped = {p.resolve() for p in skip}
    files: list[Path] = []
    for path in paths:
        candidates = [path] if path.is_file() else sorted(path.rglob("*")) if path.is_dir() else []
        files += [p for p in candidates if p.is_file() and "__pycache__" not in p.parts and p.resolve() not in skipped]
    return _hash(chunk for p in files for chunk in (p.as_posix().encode(), p.read_bytes()))


def site_is_current(out: Path, inputs: str) -> bool:
    """Whether ``out`` was built from ``inputs`` and has not been changed since."""
    try:
        stamp = json.loads((out / SITE_STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(stamp, dict) and stamp == {"inputs": inputs, "site": tree_digest([out], [out / SITE_STAMP])}


def stamp_site(out: Path, inputs: str) -> None:
    """Record what the site in ``out`` was just built from."""
    site = tree_digest([out], [out / SITE_STAMP])
    (out / SITE_STAMP).write_text(json.dumps({"inputs": inputs, "site": site}) + "\n", encoding="utf-8")
