"""A short smoke of the side-by-side script (the full run is on demand)."""

from __future__ import annotations

from . import compare


def test_compare_smoke() -> None:
    """compare.py runs end to end on 1 MB and reports every command."""
    report = compare.main(["--size-mb", "1", "--repeat", "1"])
    results = report["results"]
    assert set(results) >= {"cat", "python copy loop", "k8s-redact (hyperscan, 1 core)",  # type: ignore[operator]
                            "k8s-redact (regex fallback)"}
