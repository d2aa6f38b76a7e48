"""pytest-benchmark suite for the scanner: no-secret lines, secret-dense lines, 1 MiB chunks and
a 48 KB tool result."""

from __future__ import annotations

import json

import pytest

from k8s_redact import Redactor
from k8s_redact.testing import FakeSecrets

from .gen_k8s_log import _plain


@pytest.fixture(scope="module")
def clean_lines() -> str:
    import random

    rng = random.Random(5)
    return "\n".join(_plain(rng, i) for i in range(2000)) + "\n"


@pytest.fixture(scope="module")
def dense_lines(redactor: Redactor) -> str:
    return "\n".join(c.line.replace("\n", " ") for c in FakeSecrets(redactor, seed=4).canaries(3)) + "\n"


@pytest.fixture(scope="module")
def tool_result(redactor: Redactor) -> str:
    """A 48 KB MCP tool result: `kubectl get pods -o json` (indented) with a secret in the env
    of one pod in ten."""
    canaries = list(FakeSecrets(redactor, seed=9).canaries())
    items = []
    i = 0
    while len(json.dumps({"items": items}, indent=2)) < 48_000:
        env = [{"name": "LOG_LEVEL", "value": "info"}]
        if i % 10 == 0:
            env.append({"name": "DEBUG_LINE", "value": canaries[i % len(canaries)].line})
        items.append({"metadata": {"name": f"web-7d9f8b6c5-{i:05d}", "namespace": "default",
                                   "uid": f"6f1c2d3e-4b5a-4c6d-8e9f-{i:012d}", "resourceVersion": str(10**8 + i)},
                      "spec": {"containers": [{"name": "app", "image": "ghcr.io/acme/web:v1.28.3", "env": env}]},
                      "status": {"phase": "Running", "podIP": f"10.244.{i % 256}.{i // 256}"}})
        i += 1
    return json.dumps({"apiVersion": "v1", "kind": "List", "items": items}, indent=2)


def test_no_secret_lines(benchmark, redactor: Redactor, clean_lines: str) -> None:  # type: ignore[no-untyped-def]
    """Lines without secrets: the path that must cost close to copying."""
    out = benchmark(redactor.redact, clean_lines)
    assert out == clean_lines


def test_secret_dense_lines(benchmark, redactor: Redactor, dense_lines: str) -> None:  # type: ignore[no-untyped-def]
    """Every line holds a secret."""
    out = benchmark(redactor.redact, dense_lines)
    assert out.count("[REDACTED") >= dense_lines.count("\n") * 0.9


def test_mib_chunk_bytes(benchmark, redactor: Redactor, mib_chunk: bytes) -> None:  # type: ignore[no-untyped-def]
    """A 1 MiB block of mixed Kubernetes log through redact_bytes."""
    out = benchmark(redactor.redact_bytes, mib_chunk)
    assert out.count(b"\n") == mib_chunk.count(b"\n")


def test_tool_result_48k(benchmark, redactor: Redactor, tool_result: str) -> None:  # type: ignore[no-untyped-def]
    """A 48 KB JSON tool result (target: median <= 2 ms)."""
    out = benchmark(redactor.redact, tool_result)
    assert "[REDACTED" in out and json.loads(out)["kind"] == "List"
