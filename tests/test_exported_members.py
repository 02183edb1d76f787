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


def test_unknown_attribute_raises():
    try:
        npdw_learning.does_not_exist  # noqa: B018
    except AttributeError:
        return
    raise AssertionError("expected AttributeError")
