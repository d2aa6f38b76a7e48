"""Benchmarks run as a one-shot smoke in the test suite (--benchmark-disable in pyproject) and for
real with: python -m pytest benches --benchmark-enable --benchmark-json=benches/out/bench.json"""

from __future__ import annotations

import pytest

from k8s_redact import Redactor

from .gen_k8s_log import lines


@pytest.fixture(scope="session")
def redactor() -> Redactor:
    return Redactor()


@pytest.fixture(scope="session")
def mib_chunk() -> bytes:
    """1 MiB of generated Kubernetes log, about one fake secret per 200 lines."""
    data = "\n".join(lines(1 << 20, 200, seed=2)).encode() + b"\n"
    return data[: data.rfind(b"\n", 0, 1 << 20) + 1]
