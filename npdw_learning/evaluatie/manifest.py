"""``manifest.json``: what one run of ``npdw evaluate`` read and used.

Parameters, package versions, the time each notebook took, and every input
with its SHA-256 (named after the folder it was read from, so the same inputs
give the same fingerprint on every machine). The report's Verantwoording
states it in a paragraph (:func:`manifest_summary`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
import sys
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path

from ..kern.atomic import write_text
from ..kern.outdir import file_sha256
from ..kern.synthetic import DataOrigin
from ..kern.version import __version__
from .preflight import NOTEBOOKS_DIR
from .steps import Run

__all__ = [
    "MANIFEST",
    "PACKAGES",
    "build_manifest",
    "finish_manifest",
    "manifest_summary",
    "shown_path",
]

MANIFEST = "manifest.json"
PACKAGES = (
    "npdw-learning",
    "numpy",
    "pandas",
    "scipy",
    "statsmodels",
    "matplotlib",
    "pandera",
    "spacy",
    "deduce",
    "krippendorff",
    "networkx",
    "papermill",
    "nbconvert",
    "nbformat",
    "ipykernel",
    "weasyprint",
)


def shown_path(path: Path, roots: Mapping[str, Path]) -> str:
    """How the manifest names an input: ``data/...``, ``stories/...`` or ``notebooks/...``
    after the folder it was read from (``roots``: label to folder, the first that holds it),
    wherever that folder lies, so the same inputs give the report the same fingerprint on
    every machine. A file outside them keeps its absolute path."""
    resolved = path.resolve()
    for label, root in roots.items():
        try:
            return f"{label}/{resolved.relative_to(root.resolve()).as_posix()}"
        except ValueError:
            continue
    return str(resolved)


def _versions() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "niet geïnstalleerd"
    return out


def build_manifest(
    run: Run,
    out: Path,
    parameters: dict,
    origin: DataOrigin,
    started: dt.datetime,
    timings: list[dict],
    inputs: Sequence[Path],
    notebooks_dir: Path = NOTEBOOKS_DIR,
) -> dict:
    """What this run read and used: parameters, versions, timings, inputs with SHA-256.

    ``finished`` stays empty until :func:`finish_manifest` writes it.
    """
    labels = run.registry.area_labels()
    # The specific folders first: a programme folder may hold its stories inside data/.
    roots = {"stories": run.stories_dir, "notebooks": notebooks_dir, "data": run.data_dir}
    return {
        "npdw_learning": __version__,
        "parameters": {
            **parameters,
            "out_dir": str(out),
            "area_labels": ", ".join(labels[a] for a in run.areas),
        },
        "synthetic": origin.parts,
        "stories": {"synthetic": origin.synthetic_stories, "real": origin.real_stories},
        "banner": origin.banner(),
        "started": started.isoformat(timespec="seconds"),
        "finished": None,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": _versions(),
        "notebooks": timings,
        "inputs": [
            {"path": shown_path(p, roots), "sha256": file_sha256(p), "bytes": p.stat().st_size}
            for p in inputs
        ],
    }


def finish_manifest(build: Path, manifest: dict, *, seconds: float) -> None:
    """Stamp the end time and duration on the manifest and write it into ``build``."""
    manifest["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    manifest["seconds"] = round(seconds, 1)
    write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", build / MANIFEST)


def manifest_summary(manifest: dict) -> tuple[str, dict[str, str]]:
    """The Verantwoording's paragraph on reproducibility, from the manifest.

    Returns the Markdown template and its values (the area names come from the
    registry, a file a person edits, so they enter the report as values).
    """
    p = manifest["parameters"]
    fingerprint = hashlib.sha256(
        "".join(f"{i['path']}:{i['sha256']}\n" for i in manifest["inputs"]).encode()
    ).hexdigest()[:16]
    started = dt.datetime.fromisoformat(manifest["started"]).astimezone()
    pk = manifest["packages"]
    lines = [
        "#### Herhaalbaarheid",
        "",
        "Dezelfde invoer geeft dezelfde tabellen, tot op de byte. Alles wat deze evaluatie "
        f"las en gebruikte staat in `{MANIFEST}` naast dit rapport, met van elk invoerbestand "
        "een SHA-256-controlegetal.",
        "",
        f"- Evaluatiejaar {p['year']}; wijken: {{areas}}; demodata: "
        f"{'ja' if p['demo'] else 'nee'}.",
        f"- Gestart op {started:%d-%m-%Y} om {started:%H:%M}; "
        f"{len(manifest['notebooks'])} notebooks uitgevoerd.",
        f"- {len(manifest['inputs'])} invoerbestanden, samen met vingerafdruk `{fingerprint}`.",
        f"- npdw-learning {manifest['npdw_learning']}, Python {manifest['python']}, "
        f"pandas {pk['pandas']}, statsmodels {pk['statsmodels']}, scipy {pk['scipy']}, "
        f"spaCy {pk['spacy']}, deduce {pk['deduce']}, papermill {pk['papermill']}.",
    ]
    areas = p.get("area_labels") or ", ".join(p["areas"])
    values = {"areas": areas}
    previous = manifest.get("previous")
    if previous:  # which earlier evaluation this one was compared with, or why none
        lines.append("- {previous}")
        values["previous"] = previous["reason"]
    national = manifest.get("national")
    if national:  # the comparison with comparable wijken: which national file, or why none
        lines.append("- {national}")
        values["national"] = national["reason"]
    return "\n".join(lines), values
