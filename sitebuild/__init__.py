"""The site pipeline, one module per stage; run it from the repository root as ``python -m sitebuild``.

  execute   run notebooks in fresh kernels under a watchdog, normalise their outputs (``execute.py``)
  digests   which notebooks need executing: digests of their inputs, kept in notebooks/digests.json
  render    notebook pages, the data page and the index, from the executed notebooks (``render.py``)
  search    the search index over every section of every page (``search.py``)
  build     the main job that runs the stages in order (``build.py``, what ``python -m sitebuild`` runs)
  run       execute named notebooks the job's way (``python -m sitebuild.run``, or scripts/run_notebook.py)
"""

import sys

# nbformat -> jsonschema imports rfc3987_syntax when present, which compiles a grammar for ~1.7 s;
# notebook validation never checks the "iri" formats it serves, so mark it absent (ImportError is
# handled by jsonschema) before any stage imports nbformat. Saves that time on every run of the job.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]
