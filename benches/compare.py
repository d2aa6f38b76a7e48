"""Side-by-side throughput in one run: cat, a plain Python copy loop, k8s-redact (default rules,
Hyperscan and the pure-regex fallback) and, when installed, Presidio's analyzer+anonymizer on a
sample.  Prints MB/s, ratios to cat and peak RSS; writes JSON with --json.

    python benches/compare.py --size-mb 64 [--repeat 3] [--json benches/out/compare.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
COPY_LOOP = ("import sys\nr=sys.stdin.buffer.raw.read\nw=sys.stdout.buffer.write\n"
             "while True:\n b=r(1<<20)\n if not b: break\n w(b)\n")


def _run(cmd: list[str], src: Path) -> tuple[float, int]:
    """Wall time and peak RSS (KiB) of one command reading src and writing /dev/null."""
    with open(src, "rb") as fin, open(os.devnull, "wb") as fout:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=fin, stdout=fout)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed with {proc.returncode}")
    return elapsed, usage.ru_maxrss


def _presidio(sample: bytes) -> float | None:
    try:
        from presidio_analyzer import AnalyzerEngine
        from presidio_anonymizer import AnonymizerEngine
    except ImportError:
        return None
    analyzer, anonymizer = AnalyzerEngine(), AnonymizerEngine()
    text = sample.decode()
    start = time.perf_counter()
    for line in text.splitlines():
        anonymizer.anonymize(text=line, analyzer_results=analyzer.analyze(text=line, language="en"))
    return len(sample) / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> dict[str, object]:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--size-mb", type=float, default=64)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--json", default=None)
    p.add_argument("--input", default=None, help="use this file instead of generating one")
    p.add_argument("--fallback-mb", type=float, default=4, help="input size for the regex fallback")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(args.input) if args.input else Path(tmp) / "k8s.log"
        if not args.input:
            subprocess.run([sys.executable, str(HERE / "gen_k8s_log.py"), "--size-mb", str(args.size_mb),
                            "--out", str(src)], check=True)
        size = src.stat().st_size
        k8s = [sys.executable, "-m", "k8s_redact"]
        commands = {
            "cat": ["cat"],
            "python copy loop": [sys.executable, "-c", COPY_LOOP],
            "k8s-redact (hyperscan, 1 core)": [*k8s, "--engine", "auto", "--threads", "1"],
            "k8s-redact (hyperscan, 2 cores)": [*k8s, "--engine", "auto", "--threads", "2"],
        }
        # The pure-regex fallback is ~100x slower: it is timed on the first --fallback-mb MB.
        fallback = Path(tmp) / "fallback.log"
        with open(src, "rb") as fh:
            head = fh.read(int(args.fallback_mb * (1 << 20)))
        fallback.write_bytes(head[: head.rfind(b"\n") + 1])
        _run(commands["k8s-redact (hyperscan, 1 core)"], src)  # warm the rule cache
        results: dict[str, dict[str, float]] = {}
        jobs = [(name, cmd, src) for name, cmd in commands.items()]
        jobs.append(("k8s-redact (regex fallback)", [*k8s, "--engine", "regex", "--threads", "1"],
                     fallback))
        for name, cmd, path in jobs:
            runs = [_run(cmd, path) for _ in range(args.repeat)]
            median = statistics.median(t for t, _ in runs)
            results[name] = {"median_s": median, "mb_per_s": path.stat().st_size / median / 1e6,
                             "input_mb": path.stat().st_size / 1e6,
                             "peak_rss_mb": max(r for _, r in runs) / 1024}
        cat_rate = results["cat"]["mb_per_s"]
        for row in results.values():
            row["ratio_to_cat"] = cat_rate / row["mb_per_s"]
        with open(src, "rb") as fh:
            sample = fh.read(256 << 10)
        presidio = _presidio(sample)
    report: dict[str, object] = {"input_bytes": size, "repeat": args.repeat, "results": results,
                                 "presidio_mb_per_s_on_256k_sample": None if presidio is None else presidio / 1e6}
    print(f"input: {size / 1e6:.1f} MB, median of {args.repeat} runs")
    print(f"{'command':34} {'input MB':>9} {'MB/s':>9} {'x cat time':>11} {'peak RSS MB':>12}")
    for name, row in results.items():
        print(f"{name:34} {row['input_mb']:9.1f} {row['mb_per_s']:9.1f} {row['ratio_to_cat']:11.1f} "
              f"{row['peak_rss_mb']:12.1f}")
    if presidio is not None:
        print(f"{'presidio analyzer+anonymizer':32} {presidio / 1e6:9.3f}   (256 KiB sample, in-process)")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
