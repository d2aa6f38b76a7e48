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


@pytest.fixture(scope="module")
def pods_list() -> dict[str, object]:
    """`kubectl get pods -o json` for 200 pods, each with env, an annotation holding JSON and a
    sensitive env value."""
    items = []
    for i in range(200):
        applied = json.dumps({"spec": {"containers": [{"name": "app", "env": [
            {"name": "DB_PASSWORD", "value": f"pw-{i}-x9Z"}]}]}})
        items.append({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": f"web-7d9f8b6c5-{i:05d}", "namespace": "default",
                         "uid": f"6f1c2d3e-4b5a-4c6d-8e9f-{i:012d}",
                         "annotations": {"kubectl.kubernetes.io/last-applied-configuration": applied}},
            "spec": {"containers": [{"name": "app", "image": "ghcr.io/acme/web:v1.28.3", "env": [
                {"name": "DB_PASSWORD", "value": f"pw-{i}-x9Z"}, {"name": "LOG_LEVEL", "value": "info"},
                {"name": "API_TOKEN", "valueFrom": {"secretKeyRef": {"name": "api", "key": "token"}}}]}]},
            "status": {"phase": "Running", "podIP": f"10.244.{i % 256}.{i // 256}"},
        })
    return {"apiVersion": "v1", "kind": "List", "items": items}


@pytest.fixture(scope="module")
def structured_mib(redactor: Redactor) -> bytes:
    """1 MiB of structure-heavy output: JSON log lines with nested objects, YAML Secrets and
    pretty-printed JSON objects, about one secret per 20 lines."""
    import yaml

    canaries = [c.line.replace("\n", " ") for c in FakeSecrets(redactor, seed=6).canaries()]
    out: list[str] = []
    i = 0
    while sum(len(x) + 1 for x in out) < (1 << 20):
        secret = canaries[i % len(canaries)] if i % 20 == 0 else "ok"
        out.append(json.dumps({"ts": "2024-05-01T12:00:00Z", "level": "info", "msg": secret,
                               "req": {"id": f"req-{i}", "headers": {"accept": "*/*"}}}))
        if i % 50 == 0:
            out.extend(yaml.safe_dump({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": f"s{i}"},
                                       "data": {"password": "MWYyZDFlMmU2N2Rm", "username": "YWRtaW4="}}).splitlines())
            out.extend(json.dumps({"kind": "Pod", "metadata": {"name": f"p{i}"}, "spec": {"containers": [
                {"env": [{"name": "DB_PASSWORD", "value": "s3cr3t-x"}]}]}}, indent=4).splitlines())
        i += 1
    return ("\n".join(out) + "\n").encode()


def test_redact_obj_200_pods(benchmark, redactor: Redactor, pods_list: dict[str, object]) -> None:  # type: ignore[no-untyped-def]
    """redact_obj on a 200-pod List (issue 3's structured benchmark)."""
    out = benchmark(redactor.redact_obj, pods_list)
    assert "pw-7-x9Z" not in json.dumps(out)


def test_structured_mib_bytes(benchmark, redactor: Redactor, structured_mib: bytes) -> None:  # type: ignore[no-untyped-def]
    """1 MiB of structure-heavy text through the pipe's path (compare with test_mib_chunk_bytes)."""
    out = benchmark(redactor.redact_bytes, structured_mib)
    assert b"MWYyZDFlMmU2N2Rm" not in out and out.count(b"\n") == structured_mib.count(b"\n")
