"""The public surface a notebook uses is small and guarded (httpx habit)."""

from __future__ import annotations

import npdw_learning


def test_exported_members():
    assert sorted(npdw_learning.__all__) == sorted(
        [
            "__version__",
            "Finding",
            "InputError",
            "LoadResult",
            "MeasurementError",
            "ProgrammeFolder",
            "Registry",
            "RegistryError",
            "TellenResult",
            "load_measurements",
            "load_registry",
            "run_tellen",
            "load_stories",
            "load_story_vocabulary",
            "load_codebook",
            "auto_code",
            "theme_counts",
            "change_by_theme",
            "theme_cooccurrence",
            "distinctive_terms",
            "quotes",
            "agreement_table",
            "overall_alpha",
            "load_msc",
            "selected_stories",
            "Agenda",
            "load_agenda",
            "efforts_status",
            "overasking",
            "overasking_findings",
            "build_network",
            "coverage_report",
            "draw_network",
        ]
    )
    for name in npdw_learning.__all__:
        assert getattr(npdw_learning, name) is not None, name


def test_each_lazy_name_is_the_object_in_its_room():
    import importlib

    for name, module in npdw_learning._LAZY.items():
        room = module.split(".")[0]
        assert room in ("tellen", "vertellen", "leeragenda"), (name, module)
        obj = getattr(importlib.import_module(f"npdw_learning.{module}"), name)
        assert getattr(npdw_learning, name) is obj, name
        assert (obj.__doc__ or "").strip(), f"{name}: no docstring"


def test_importing_the_package_loads_no_statistics_or_language_stack():
    """`npdw validate` and `from npdw_learning import load_registry` stay quick."""
    import subprocess
    import sys

    code = (
        "import sys, npdw_learning; "
        "print(sorted(m for m in ('spacy', 'scipy', 'statsmodels', 'deduce', 'matplotlib') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_unknown_attribute_raises():
    try:
        npdw_learning.does_not_exist  # noqa: B018
    except AttributeError:
        return
    raise AssertionError("expected AttributeError")
