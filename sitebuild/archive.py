"""The archive stage: the whole project as one ZIP, so a reader can run the notebooks themselves.

It holds what ``make`` needs (README, Makefile, pyproject.toml, the lock file and environment.yml, the
helpers, the data package, the notebooks, scripts/, sitebuild/, site_template/, the tests, bench/ and
the message catalogs in locale/). Built deterministically: files in sorted order, each with the same
fixed date and permissions, so two builds of the same files give byte-identical archives. The notebooks
go in without their outputs (the site shows those; ``make`` computes them again), which keeps the
download small.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

FILES = ("README.md", "LICENSE", "CITATION.cff", "Makefile", "pyproject.toml", "requirements.lock", "environment.yml")
FOLDERS = ("helpers", "scripts", "sitebuild", "site_template", "tests", "bench", "locale")
SKIP_PARTS = frozenset({"__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".mypy_cache", ".ruff_cache"})
FIXED_DATE = (2022, 6, 5, 0, 0, 0)  # polling day: any fixed date would do, the clock would not
FOLDER_NAME = "kz-referendum-2022"


def project_files(root: Path, notebooks: Path, data: Path) -> Iterator[tuple[str, Path]]:
    """(path inside the archive, file on disk) for every file the project needs, sorted."""
    found: dict[str, Path] = {name: root / name for name in FILES if (root / name).is_file()}
    for folder, source in [*((f, root / f) for f in FOLDERS), ("notebooks", notebooks), ("data", data)]:
        for path in source.rglob("*") if source.is_dir() else []:
            parts = path.relative_to(source).parts
            if folder == "locale" and parts[:1] == ("runs",):
                continue  # the Russian and Kazakh runs: `make` in the unpacked project makes them again
            if path.is_file() and not SKIP_PARTS & set(parts) and path.suffix != ".pyc":
                found["/".join((folder, *parts))] = path
    yield from sorted(found.items())


def without_outputs(text: str) -> bytes:
    """A notebook's JSON with its code cells' outputs and execution counts removed."""
    nb = json.loads(text)
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
    return (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def project_zip(root: Path, notebooks: Path, data: Path) -> bytes:
    """The project as a ZIP (one top folder), identical bytes for identical files."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, path in project_files(root, notebooks, data):
            content = path.read_bytes()
            if name.startswith("notebooks/") and name.endswith(".ipynb"):
                content = without_outputs(content.decode("utf-8"))
            info = zipfile.ZipInfo(f"{FOLDER_NAME}/{name}", date_time=FIXED_DATE)
            info.external_attr = (0o100755 if name.endswith(".sh") else 0o100644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content, compresslevel=9)
    return out.getvalue()
