"""Realistic material shared by the tests: ordinary log lines and observer identifiers that must
survive, and canary lines holding fake secrets that must not."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from k8s_redact import Redactor
from k8s_redact.testing import Canary, FakeSecrets

MINI_PACK = str(Path(__file__).parent / "data" / "mini-pack.yaml")

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
SPAN_ID = "00f067aa0ba902b7"
UUID = "6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f"
POD = "web-7d9f8b6c5-x2x9q"
DIGEST = "sha256:" + "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
GIT_SHA = "1f0e3dad99908345f7439f8ffabdffc4e6a2c6b9"
CONTAINER_ID = "containerd://" + "3b4a5c6d7e8f90123456789abcdef0123456789abcdef0123456789abcdef012"

#: Identifiers an observer needs; the default policy must keep every one of them.
OBSERVER_IDENTIFIERS = {
    "trace id": TRACE_ID,
    "span id": SPAN_ID,
    "uuid": UUID,
    "kubernetes uid": "d1b7c3a4-1f2e-4d5c-9b8a-7e6f5d4c3b2a",
    "pod name": POD,
    "statefulset pod": "kafka-broker-2",
    "replicaset": "checkout-api-5f6b7c8d9f",
    "image digest": DIGEST,
    "image": "ghcr.io/acme/checkout-api:v1.28.3@" + DIGEST,
    "git sha": GIT_SHA,
    "short sha": "1f0e3da",
    "container id": CONTAINER_ID,
    "docker id": "3b4a5c6d7e8f",
    "resource version": "123456789",
    "generation": "generation=42",
    "rfc3339": "2024-05-01T12:00:00.123456Z",
    "klog time": "I0501 12:00:00.123456",
    "epoch ns": "1714564800123456789",
    "epoch ms": "1714564800123",
    "request id": "req-3ea4052c-895d-4b64-9e2d-04d64c4d94ab",
    "node": "ip-10-0-12-34.eu-west-1.compute.internal",
    "namespace": "kube-system",
    "traceparent": f"00-{TRACE_ID}-{SPAN_ID}-01",
    "x-b3": f"X-B3-TraceId: {TRACE_ID}",
    "error text": "Error: connection refused (ECONNREFUSED) while dialing 10.96.0.1:443",
    "oom": "OOMKilled: container exceeded memory limit 512Mi",
    "arn": "arn:aws:iam::123456789012:role/eks-node-role",
    "helm chart": "chart=ingress-nginx-4.10.1",
    "version": "kubelet v1.28.3-eks-4f4795d",
}

PLAIN_LINES = [
    f'{{"ts":"2024-05-01T12:00:00.123Z","level":"info","msg":"request served","trace_id":"{TRACE_ID}","span_id":"{SPAN_ID}","status":200,"duration_ms":12.5}}',
    f'I0501 12:00:00.123456       1 controller.go:123] "Reconciled" pod="default/{POD}" uid="{UUID}"',
    f'time="2024-05-01T12:00:00Z" level=warning msg="readiness probe failed" pod={POD} container=app restartCount=3',
    f"2024-05-01T12:00:00.000000001Z stdout F GET /healthz 200 0.001s trace={TRACE_ID}",
    f"Pulling image \"ghcr.io/acme/checkout-api@{DIGEST}\"",
    f"Successfully assigned default/{POD} to ip-10-0-12-34.eu-west-1.compute.internal",
    f"commit {GIT_SHA} deployed by pipeline 4821 (resourceVersion=123456789)",
    "Error: failed to connect to database: dial tcp: lookup postgres on 10.96.0.10:53: no such host",
    "token expired, refreshing credentials for service account default/builder",
    "password reset requested for user id 4242",
    "max_tokens: 256 token_count=5 tokens_used=1234",
    '  File "/app/main.py", line 42, in handler',
    "java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"s\" is null",
    "\tat com.acme.checkout.Service.process(Service.java:128)",
    "",
]


@lru_cache(maxsize=1)
def canaries() -> tuple[Canary, ...]:
    """One fake secret per default-on rule (deterministic)."""
    return tuple(FakeSecrets(Redactor(), seed=7).canaries())
