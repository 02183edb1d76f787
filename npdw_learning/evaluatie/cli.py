"""``npdw evaluate``: run the notebooks and say where the report is."""

from __future__ import annotations

import argparse
import json
import sys

from ..kern.paths import OUTPUTS_DIR
from .runner import MANIFEST, NOTEBOOKS_DIR, EvaluationError, evaluate

__all__ = ["cli_evaluate", "cli_wijkbericht"]


def cli_evaluate(args: argparse.Namespace) -> int:
    """``npdw evaluate``: print progress, the report's path, or the failing notebook."""
    try:
        report = evaluate(
            args.year,
            data_dir=args.data,
            stories_dir=args.stories,
            out_dir=args.out,
            areas=args.areas,
            demo=args.demo,
            timeout=args.timeout,
            notebooks_dir=args.notebooks or NOTEBOOKS_DIR,
            echo=lambda m: print(m, flush=True),
            pdf=not getattr(args, "no_pdf", False),
            previous=getattr(args, "previous", None),
            no_previous=getattr(args, "no_previous", False),
            national=getattr(args, "national", None),
        )
    except EvaluationError as exc:
        out = (args.out or OUTPUTS_DIR / str(args.year)).resolve()
        kept = exc.kept or out.with_name(out.name + ".mislukt")
        print(f"FOUT: {exc}", file=sys.stderr, flush=True)
        print(
            f"De eerdere uitvoer in {out} is niet aangeraakt. Het mislukte notebook met de "
            f"volledige foutmelding staat in {kept}/notebooks/.",
            file=sys.stderr,
            flush=True,
        )
        return 1
    manifest = json.loads((report.parent / MANIFEST).read_text(encoding="utf-8"))
    if manifest.get("banner"):  # what is invented and what is real, as the report says it
        print(manifest["banner"], flush=True)
    print(f"Het rapport staat in {report}", flush=True)
    print(f"Open het in een browser, bijvoorbeeld: file://{report}", flush=True)
    return 0


def cli_wijkbericht(args: argparse.Namespace) -> int:
    """``npdw wijkbericht``: the outputs for residents and the board, from a run's tables."""
    from .wijkuitvoer import rewrite

    out = (args.out or OUTPUTS_DIR / str(args.year)).resolve()
    made = rewrite(
        out,
        args.year,
        area=args.area,
        data_dir=args.data,
        stories_dir=args.stories,
        pdf=not args.no_pdf,
        echo=lambda m: print(m, flush=True),
    )
    print(f"{len(made)} wijkbericht{'' if len(made) == 1 else 'en'} in {out / 'wijkberichten'}")
    return 0
