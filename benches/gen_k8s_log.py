"""Generate a realistic Kubernetes log stream for benchmarks: klog, JSON (zap/logrus style),
logfmt, access logs and Java stack traces from many pods, with about one fake secret per
``--secret-every`` lines (canaries from k8s_redact.testing, never real keys).

    python benches/gen_k8s_log.py --size-mb 64 --out /tmp/k8s-64m.log
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator

from k8s_redact import Redactor
from k8s_redact.testing import FakeSecrets


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def _pod(rng: random.Random) -> str:
    app = rng.choice(["web", "checkout-api", "payments", "search", "kafka-broker", "ingress-nginx-controller"])
    return f"{app}-{_hex(rng, 9)[:9]}-{''.join(rng.choice('bcdfghjklmnpqrstvwxz2456789') for _ in range(5))}"


def _plain(rng: random.Random, i: int) -> str:
    pod, trace, span = _pod(rng), _hex(rng, 32), _hex(rng, 16)
    ts = f"2024-05-01T12:{i // 60000 % 60:02d}:{i // 1000 % 60:02d}.{i % 1000:03d}Z"
    kind = rng.randrange(7)
    if kind == 0:
        return (f'{{"level":"info","ts":"{ts}","logger":"http","msg":"request served","method":"GET",'
                f'"path":"/api/v1/orders/{rng.randrange(10**6)}","status":200,"duration_ms":{rng.random() * 50:.2f},'
                f'"trace_id":"{trace}","span_id":"{span}","pod":"{pod}"}}')
    if kind == 1:
        return (f'I0501 12:{i // 60000 % 60:02d}:{i // 1000 % 60:02d}.{i % 1000000:06d}       1 controller.go:{rng.randrange(900)}] '
                f'"Reconciled" pod="default/{pod}" uid="{_hex(rng, 8)}-{_hex(rng, 4)}-4{_hex(rng, 3)}-8{_hex(rng, 3)}-{_hex(rng, 12)}" resourceVersion="{rng.randrange(10**9)}"')
    if kind == 2:
        return (f'time="{ts}" level=info msg="cache refreshed" pod={pod} entries={rng.randrange(10**5)} '
                f'took={rng.random():.3f}s trace_id={trace}')
    if kind == 3:
        return (f'10.244.{rng.randrange(256)}.{rng.randrange(256)} - - [01/May/2024:12:00:{i % 60:02d} +0000] '
                f'"GET /static/app.{_hex(rng, 8)}.js HTTP/1.1" 200 {rng.randrange(10**6)} "-" "Mozilla/5.0 (X11; Linux x86_64)" rt=0.00{rng.randrange(10)}')
    if kind == 4:
        return f"\tat com.acme.checkout.Service{rng.randrange(50)}.process(Service.java:{rng.randrange(900)})"
    if kind == 5:
        return (f"{ts} stdout F Pulling image \"ghcr.io/acme/web@sha256:{_hex(rng, 64)}\" for pod {pod} "
                f"container=containerd://{_hex(rng, 64)}")
    return (f'{ts} WARN  [worker-{rng.randrange(16)}] c.a.b.Retry - attempt {rng.randrange(5)} failed: '
            f"connection reset by peer (commit {_hex(rng, 40)})")


def lines(size: int, secret_every: int, seed: int) -> Iterator[str]:
    rng = random.Random(seed)
    canaries = [c.line.replace("\n", " ") for c in FakeSecrets(Redactor(), seed=seed).canaries(3)]
    total = 0
    i = 0
    while total < size:
        line = rng.choice(canaries) if rng.randrange(secret_every) == 0 else _plain(rng, i)
        total += len(line) + 1
        i += 1
        yield line


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--size-mb", type=float, default=64)
    p.add_argument("--secret-every", type=int, default=200)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", default="-")
    args = p.parse_args()
    out = sys.stdout if args.out == "-" else open(args.out, "w")  # noqa: SIM115
    with out:
        for line in lines(int(args.size_mb * (1 << 20)), args.secret_every, args.seed):
            out.write(line + "\n")


if __name__ == "__main__":
    main()
