"""The ``k8s-redact`` command: a redacting pipe (stdin or files to stdout).

Exit codes:
  0  success (with --check: nothing would be redacted)
  1  --check: something would be redacted
  2  usage error, invalid rule pack or policy
  3  input or output error (unreadable file, ...)
  130 interrupted (Ctrl-C); what was already read is flushed, redacted, first
A closed output pipe (``| head``) ends the command quietly, like ``cat``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from typing import BinaryIO

from ._errors import K8sRedactError
from ._operators import OPERATOR_NAMES, OperatorSpec
from ._policy import OFF_BY_DEFAULT, Policy
from ._redactor import Redactor

EXIT_OK, EXIT_FOUND, EXIT_USAGE, EXIT_IO, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
CHUNK = 1 << 20

_EPILOG = """\
examples:
  kubectl logs -f deploy/web | k8s-redact
  k8s-redact --stats app.log > app.redacted.log
  k8s-redact --check build.log          # exit 1 if anything would be redacted
  k8s-redact --enable network           # also redact IP addresses
  k8s-redact rules test my-rules.yaml   # run a pack's own examples
exit codes: 0 ok, 1 --check found something, 2 usage or rule-pack error, 3 I/O error,
130 interrupted."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="k8s-redact", epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Redact secrets, credentials and personal data from logs and Kubernetes "
                    "output. Reads FILEs (or stdin) and writes to stdout, line by line.")
    p.add_argument("files", nargs="*", metavar="FILE", help="input files (default: stdin; - is stdin)")
    p.add_argument("-o", "--operator", choices=OPERATOR_NAMES, default="replace",
                   help="how to redact (default: replace with [REDACTED:rule-id])")
    p.add_argument("--mask-keep", type=int, default=4, metavar="N",
                   help="mask: leading characters kept (never more than a quarter)")
    p.add_argument("--hash-key-file", metavar="PATH",
                   help="hash: file holding the HMAC key (default: $K8S_REDACT_HASH_KEY)")
    p.add_argument("-r", "--rules", action="append", default=[], metavar="PACK",
                   help="extra rule pack (YAML); repeatable")
    p.add_argument("--no-builtin-rules", action="store_true", help="use only --rules packs")
    p.add_argument("-e", "--enable", action="append", default=[], metavar="ID|CATEGORY",
                   help=f"enable a rule or category (off by default: {', '.join(sorted(OFF_BY_DEFAULT))})")
    p.add_argument("-d", "--disable", action="append", default=[], metavar="ID|CATEGORY",
                   help="disable a rule or category; repeatable")
    p.add_argument("--engine", choices=("auto", "hyperscan", "regex"), default="auto",
                   help="prefilter engine (default: hyperscan when installed)")
    p.add_argument("--threads", type=int, default=min(2, os.cpu_count() or 1), metavar="N",
                   help="cores for the Hyperscan scan of large blocks (default: 2 where there "
                        "are 2 or more cores; the output is identical)")
    p.add_argument("--max-line", type=int, default=None, metavar="BYTES",
                   help="lines longer than this are scanned in overlapping windows (default 1 MiB)")
    p.add_argument("--format", choices=("auto", "text", "json", "yaml"), default="auto",
                   help="auto: rules for every syntax, JSON lines kept valid (default); text: "
                        "rules only; json: every JSON line redacted structurally; yaml: the "
                        "whole input is YAML documents, redacted structurally and re-emitted")
    p.add_argument("--stats", action="store_true",
                   help="print per-rule counts (never values) as JSON on stderr at exit")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 if anything would be redacted")
    p.add_argument("--list-rules", action="store_true", help="list the rules and exit")
    return p


def _rules_main(argv: Sequence[str]) -> int:
    p = argparse.ArgumentParser(prog="k8s-redact rules",
                                description="Work with rule packs.")
    sub = p.add_subparsers(dest="command", required=True)
    test = sub.add_parser("test", help="validate packs and run every rule's examples")
    test.add_argument("packs", nargs="*", metavar="PACK",
                      help="rule pack files (default: the built-in packs)")
    test.add_argument("-v", "--verbose", action="store_true", help="list every rule")
    test.add_argument("--engine", choices=("regex", "hyperscan"), default="regex",
                      help="prefilter the examples go through (default: regex)")
    sub.add_parser("list", help="list the built-in rules")
    sub.add_parser("doc", help="print the built-in rules as Markdown (docs/rules.md)")
    args = p.parse_args(argv)
    if args.command == "list":
        return _list_rules(Policy())
    if args.command == "doc":
        from ._docgen import rules_markdown
        from ._redactor import builtin_rules

        sys.stdout.write(rules_markdown(builtin_rules()))
        return EXIT_OK
    from ._loader import load_packs
    from ._redactor import builtin_rules
    from ._ruletest import check_rules

    try:
        rules = load_packs(args.packs) if args.packs else builtin_rules()
        reports = check_rules(rules, args.engine)
    except K8sRedactError as exc:
        print(f"k8s-redact: {exc}", file=sys.stderr)
        return EXIT_USAGE
    failed = 0
    checks = 0
    for report in reports:
        checks += report.checks
        if report.failures:
            failed += 1
            for failure in report.failures:
                print(f"FAIL {failure}")
        elif args.verbose:
            print(f"ok   {report.rule_id} ({report.checks} checks)")
    print(f"{len(reports) - failed} of {len(reports)} rules passed ({checks} checks)")
    return EXIT_FOUND if failed else EXIT_OK


def _list_rules(policy: Policy) -> int:
    """Every rule the policy's packs hold, with whether this policy turns it on."""
    from ._loader import load_packs
    from ._redactor import builtin_rules

    rules = [*(builtin_rules(policy.sensitive_keys) if policy.builtin_rules else []),
             *load_packs(policy.rule_packs)]
    active = {rule.id for rule in policy.select(rules)}
    for rule in rules:
        state = "on" if rule.id in active else "off"
        print(f"{rule.id}\t{rule.category}\t{state}\t{rule.description}")
    return EXIT_OK


def _policy(args: argparse.Namespace) -> Policy:
    key: bytes | None = None
    if args.hash_key_file:
        with open(args.hash_key_file, "rb") as fh:
            key = fh.read().strip()
    kwargs = {}
    if args.max_line is not None:
        kwargs["max_line"] = args.max_line
        kwargs["overlap"] = max(1, min(16 << 10, args.max_line // 4))
    return Policy(
        rule_packs=tuple(args.rules), builtin_rules=not args.no_builtin_rules,
        enable=frozenset(args.enable), disable=frozenset(args.disable),
        operator=OperatorSpec(args.operator, keep_start=args.mask_keep), hash_key=key,
        engine=args.engine, scan_threads=max(1, args.threads), **kwargs,
    )


def _pump(redactor: Redactor, source: BinaryIO | int, out: BinaryIO | None,
          counts: Counter[str], totals: Counter[str], text_format: str = "auto") -> None:
    def on_span(rid: int, start: int, end: int) -> None:
        counts[redactor.rule_id(rid)] += 1

    fd = source if isinstance(source, int) else source.fileno()
    head = b""
    if text_format == "yaml":
        unparsed = _yaml_documents(redactor, fd, out, counts, totals)
        if unparsed is None:
            return
        head, text_format = unparsed, "auto"  # not YAML (or too large): the rules take it
    streamer = redactor.streamer(on_span, text_format)
    warm_up = _warm_up(redactor) if redactor.policy.scan_threads > 1 else None
    read = os.read
    try:
        data = head
        while True:
            if data:
                if len(data) >= CHUNK and warm_up is not None:
                    warm_up()
                    warm_up = None
                _emit(streamer.feed_pieces(data), out, totals)
            data = read(fd, CHUNK)
            if not data:
                break
            totals["bytes_in"] += len(data)
    finally:
        _emit(streamer.close_pieces(), out, totals)


#: --format yaml reads the whole input; larger inputs go through the text rules instead.
YAML_LIMIT = 64 << 20


def _yaml_documents(redactor: Redactor, fd: int, out: BinaryIO | None, counts: Counter[str],
                    totals: Counter[str]) -> bytes | None:
    """--format yaml: parse every document, redact_obj it (exact for Secrets and env), re-emit.
    Returns ``None`` when done, or the bytes read so far when the input is not YAML or too
    large: the caller redacts them (and the rest) with the rules, never passing them raw."""
    import yaml

    chunks = []
    size = 0
    while size <= YAML_LIMIT:
        data = os.read(fd, CHUNK)
        if not data:
            break
        chunks.append(data)
        size += len(data)
    raw = b"".join(chunks)
    totals["bytes_in"] += len(raw)
    if size > YAML_LIMIT:
        return raw
    try:
        docs = list(yaml.safe_load_all(raw))
    except yaml.YAMLError:
        return raw
    redacted = [redactor.redact_obj(doc) for doc in docs]
    counts["structured-documents"] += sum(a != b for a, b in zip(docs, redacted, strict=True))
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    dumped = yaml.dump_all(redacted, Dumper=dumper, sort_keys=False, allow_unicode=True,
                           default_flow_style=False)
    _emit([dumped.encode()], out, totals)
    return None


def _warm_up(redactor: Redactor) -> Callable[[], None]:
    """On a large input, compile the exact patterns on the second core while the first reads
    and scans (Hyperscan releases the GIL). Small inputs (a hook per tool call) skip it."""

    def start() -> None:
        import threading

        threading.Thread(target=redactor.warm_up, name="k8s-redact-warm-up", daemon=True).start()

    return start


def _emit(pieces: list[bytes | memoryview], out: BinaryIO | None, totals: Counter[str]) -> None:
    if not pieces or out is None:
        return
    for piece in pieces:
        out.write(piece)
        totals["bytes_out"] += len(piece)
    out.flush()


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if argv[:1] == ["rules"]:
        return _rules_main(argv[1:])
    args = _parser().parse_args(argv)
    try:
        policy = _policy(args)
        if args.list_rules:
            return _list_rules(policy)
        redactor = Redactor(policy)
    except (K8sRedactError, OSError) as exc:
        print(f"k8s-redact: {exc}", file=sys.stderr)
        return EXIT_USAGE
    out = None if args.check else sys.stdout.buffer
    counts: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    status = EXIT_OK
    try:
        for name in args.files or ["-"]:
            if name == "-":
                _pump(redactor, sys.stdin.buffer, out, counts, totals, args.format)
                continue
            try:
                fh = open(name, "rb")  # noqa: SIM115 - closed below
            except OSError as exc:
                print(f"k8s-redact: {name}: {exc.strerror}", file=sys.stderr)
                status = EXIT_IO
                continue
            with fh:
                _pump(redactor, fh, out, counts, totals, args.format)
    except KeyboardInterrupt:
        status = EXIT_INTERRUPTED
    finally:
        if args.stats:
            stats = {"engine": redactor.engine_name, "rules": len(redactor.rules),
                     "bytes_in": totals["bytes_in"], "bytes_out": totals["bytes_out"],
                     "redactions": sum(counts.values()), "by_rule": dict(sorted(counts.items()))}
            print(json.dumps({"k8s_redact_stats": stats}), file=sys.stderr)
    if args.check and counts and status == EXIT_OK:
        summary = ", ".join(f"{rule}: {n}" for rule, n in sorted(counts.items()))
        print(f"k8s-redact: {sum(counts.values())} finding(s) ({summary})", file=sys.stderr)
        return EXIT_FOUND
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
