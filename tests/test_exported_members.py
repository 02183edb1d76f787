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
