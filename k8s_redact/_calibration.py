"""A deterministic sample of ordinary (secret-free) Kubernetes log lines.

The Hyperscan planner counts how often each candidate prefilter form of a rule fires on it and
keeps the quietest: a rule whose keywords are common words (``api``, ``ac``) is better found by
its pattern, one whose pattern reduced for Hyperscan is loose (``[a-z0-9]{32}``) by its keywords.
"""

from __future__ import annotations

import random


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def _uuid(rng: random.Random) -> str:
    return f"{_hex(rng, 8)}-{_hex(rng, 4)}-4{_hex(rng, 3)}-8{_hex(rng, 3)}-{_hex(rng, 12)}"


_WORDS = ("request served", "cache refreshed", "reconciled", "replaced token bucket",
          "access granted", "tracing exporter flushed", "account synced", "api call completed",
          "key rotation scheduled", "authentication succeeded", "session closed", "pass 2 of 3",
          "capacity check", "signal received", "processing batch", "pinging upstream",
          "password policy loaded", "token refreshed", "secret mounted", "creds file found")


def calibration_corpus(lines: int = 3000, seed: int = 11) -> bytes:
    rng = random.Random(seed)
    out = []
    for i in range(lines):
        pod = f"{rng.choice(['web', 'api', 'payments', 'search'])}-{_hex(rng, 9)}-{_hex(rng, 5)}"
        trace, span = _hex(rng, 32), _hex(rng, 16)
        ts = f"2024-05-01T12:{i // 60 % 60:02d}:{i % 60:02d}.{rng.randrange(1000):03d}Z"
        msg = rng.choice(_WORDS)
        kind = i % 8
        if kind == 0:
            line = (f'{{"level":"info","ts":"{ts}","msg":"{msg}","path":"/api/v1/orders/{rng.randrange(10**6)}",'
                    f'"status":200,"duration_ms":{rng.random() * 50:.2f},"trace_id":"{trace}","span_id":"{span}"}}')
        elif kind == 1:
            line = (f'I0501 12:00:{i % 60:02d}.{rng.randrange(10**6):06d}       1 controller.go:{rng.randrange(900)}] '
                    f'"{msg}" pod="default/{pod}" uid="{_uuid(rng)}" resourceVersion="{rng.randrange(10**9)}"')
        elif kind == 2:
            line = f'time="{ts}" level=info msg="{msg}" pod={pod} took={rng.random():.3f}s trace_id={trace}'
        elif kind == 3:
            line = (f'10.244.{rng.randrange(256)}.{rng.randrange(256)} - - [01/May/2024:12:00:{i % 60:02d} +0000] '
                    f'"GET /static/app.{_hex(rng, 8)}.js?v={rng.randrange(99)} HTTP/1.1" 200 {rng.randrange(10**6)} "-" '
                    f'"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36" rt=0.00{rng.randrange(10)}')
        elif kind == 4:
            line = f"\tat com.acme.checkout.Service{rng.randrange(50)}.process(Service.java:{rng.randrange(900)})"
        elif kind == 5:
            line = (f'{ts} stdout F Pulling image "ghcr.io/acme/web@sha256:{_hex(rng, 64)}" '
                    f"container=containerd://{_hex(rng, 64)} node=ip-10-0-{rng.randrange(256)}-{rng.randrange(256)}")
        elif kind == 6:
            line = (f"{ts} WARN [worker-{rng.randrange(16)}] c.a.b.Retry - attempt {rng.randrange(5)} failed: "
                    f"connection reset by peer (commit {_hex(rng, 40)}) account={rng.randrange(10**6)}")
        else:
            line = (f"081109 2036{rng.randrange(10, 60)} {rng.randrange(999)} INFO dfs.DataNode$PacketResponder: "
                    f"Received block blk_{rng.randrange(-10**18, 10**18)} of size {rng.randrange(10**8)} from /10.250.{rng.randrange(256)}.{rng.randrange(256)}")
        out.append(line)
    return ("\n".join(out) + "\n").encode()
