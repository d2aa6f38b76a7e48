"""Prefilters: find, cheaply, which rules can possibly match on which lines of a block.

Both prefilters return *hits*: ``(rule_index, end_offset)`` pairs over the block, a superset of
where the rule can match, plus the rules that must be tried on every line.  The engine then
confirms each candidate line with the exact pattern, so the two prefilters give identical output;
only their speed differs.

* :class:`HyperscanPrefilter` compiles every rule's pattern into one Hyperscan (Vectorscan)
  database, exact where Hyperscan supports the pattern and in Hyperscan's prefilter mode (a
  superset) where it does not; rules it cannot take at all fall back to their keywords.  The
  compiled database is cached on disk, keyed by the patterns, so a cold start loads it in well
  under a millisecond instead of compiling for a quarter of a second.
* :class:`KeywordPrefilter` is the pure-Python fallback: one ``bytes.find`` loop per keyword over
  the lower-cased block; keyword-less rules run on every line.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from . import _cache
from ._calibration import calibration_corpus
from ._compiled import CompiledRule

Hit = tuple[int, int]


class Prefilter(Protocol):
    name: str
    #: Rules with no usable prefilter: the engine tries them on every line.
    always: tuple[int, ...]

    def hits(self, buf: bytes, lo: int, hi: int) -> list[Hit]:
        """Hits in ``buf[lo:hi]``, with absolute end offsets."""
        ...


class KeywordPrefilter:
    """Keyword occurrences in the lower-cased block (ASCII lower-casing, as the gate uses)."""

    name = "keywords"

    def __init__(self, rules: Sequence[CompiledRule]) -> None:
        by_keyword: dict[bytes, list[int]] = {}
        always = []
        for rule in rules:
            if not rule.keywords:
                always.append(rule.index)
            for kw in rule.keywords:
                by_keyword.setdefault(kw, []).append(rule.index)
        self._by_keyword = sorted(by_keyword.items())
        self.always = tuple(always)

    def hits(self, buf: bytes, lo: int, hi: int) -> list[Hit]:
        lowered = buf[lo:hi].lower()
        found: list[Hit] = []
        for kw, indexes in self._by_keyword:
            pos = lowered.find(kw)
            width = len(kw)
            while pos != -1:
                end = pos + width
                found.extend((i, lo + end) for i in indexes)
                pos = lowered.find(kw, end)
        return found


def hyperscan_available() -> bool:
    try:
        import hyperscan  # noqa: F401
    except ImportError:
        return False
    return True


_NAMED_GROUP = re.compile(r"\(\?P?<([A-Za-z_]\w*)>")
_NAMED_BACKREF = re.compile(r"\(\?P=[A-Za-z_]\w*\)")


def _tokens(pattern: str) -> Iterator[str]:
    """A pattern as atoms: an escape (``\\d``), a whole character class (``[^)\\]]``) or
    one character, so parentheses inside escapes and classes are never counted as groups."""
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            yield pattern[i:i + 2]
            i += 2
        elif c == "[":
            j = i + 1
            for lead in ("^", "]"):
                if pattern[j:j + 1] == lead:
                    j += 1
            while j < n and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            yield pattern[i:j + 1]
            i = j + 1
        else:
            yield c
            i += 1


def strip_lookarounds(pattern: str) -> str:
    """Remove every lookahead and lookbehind: the rest matches a superset of the lines."""
    tokens = list(_tokens(pattern))
    out: list[str] = []
    k = 0
    while k < len(tokens):
        if tokens[k] == "(" and "".join(tokens[k + 1:k + 4]).startswith(("?=", "?!", "?<=", "?<!")):
            depth = 0
            while k < len(tokens):
                depth += (tokens[k] == "(") - (tokens[k] == ")")
                if depth == 0:
                    break
                k += 1
            k += 1
            continue
        out.append(tokens[k])
        k += 1
    return "".join(out)


def hyperscan_expression(pattern: str, lookarounds: bool = True) -> str:
    """The form Hyperscan takes: it only reports where matches end, so group names go (it
    rejects a name used twice) and named backreferences become "anything" (a superset).
    Without ``lookarounds`` those are removed too (again a superset)."""
    pattern = _NAMED_GROUP.sub("(", pattern)
    pattern = _NAMED_BACKREF.sub(lambda _: r"(?:[\s\S]*?)", pattern)
    return pattern if lookarounds else strip_lookarounds(pattern)


def _literal(keyword: bytes) -> bytes:
    return b"".join(b"\\x%02x" % byte for byte in keyword)


class HyperscanPrefilter:
    """One Hyperscan block-mode database over every active rule."""

    name = "hyperscan"

    #: Blocks at least this large are split across the scan threads.
    SPLIT_MIN = 128 << 10

    def __init__(self, rules: Sequence[CompiledRule], threads: int = 1) -> None:
        import hyperscan as hs

        self._hs = hs
        plan = _plan(rules, hs)
        self._ids: list[int] = plan["ids"]
        self.always = tuple(plan["always"])
        self.modes: dict[str, str] = plan["modes"]
        self._db = _database(hs, plan)
        self._local = threading.local()
        self._base_scratch = hs.Scratch(self._db) if self._db is not None else None
        self._threads = max(1, threads)
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    def _scratch(self) -> Any:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            assert self._base_scratch is not None
            scratch = self._local.scratch = self._base_scratch.clone()
        return scratch

    def hits(self, buf: bytes, lo: int, hi: int) -> list[Hit]:
        if self._db is None or hi <= lo:
            return []
        if self._threads > 1 and hi - lo >= self.SPLIT_MIN:
            return self._parallel_hits(buf, lo, hi)
        return self._scan(buf, lo, hi)

    def _scan(self, buf: bytes, lo: int, hi: int) -> list[Hit]:
        found: list[Hit] = []
        append = found.append
        ids = self._ids

        def on_match(pid: int, start: int, end: int, flags: int, context: object) -> None:
            append((ids[pid], lo + end))

        data = buf if lo == 0 and hi == len(buf) else memoryview(buf)[lo:hi]
        self._db.scan(data, match_event_handler=on_match, scratch=self._scratch())
        return found

    def _parallel_hits(self, buf: bytes, lo: int, hi: int) -> list[Hit]:
        """Hyperscan releases the GIL while it scans: split the block at line boundaries (no
        exact match crosses a newline) and scan the parts on several cores."""
        bounds = [lo]
        step = (hi - lo) // self._threads
        for k in range(1, self._threads):
            cut = buf.rfind(b"\n", bounds[-1], lo + k * step) + 1
            if cut > bounds[-1]:
                bounds.append(cut)
        bounds.append(hi)
        if self._pool is None:
            with self._pool_lock:
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(self._threads - 1,
                                                    thread_name_prefix="k8s-redact-scan")
        parts = list(itertools.pairwise(bounds))
        futures = [self._pool.submit(self._scan, buf, a, b) for a, b in parts[1:]]
        found = self._scan(buf, *parts[0])
        for future in futures:
            found.extend(future.result())
        return found


def _plan(rules: Sequence[CompiledRule], hs: Any) -> dict[str, Any]:
    """Decide, per rule, what Hyperscan scans for.  Cached with the database."""
    signature = json.dumps([(r.rule.pattern, r.rule.prefilter, r.rule.keywords, r.multiline)
                            for r in rules])
    version = getattr(hs, "__version__", "?")
    cache_name = "hsplan-" + _cache.key("8", version, signature) + ".json"
    cached = _cache.read(cache_name)
    if cached is not None:
        try:
            plan: dict[str, Any] = json.loads(cached)
            plan["patterns"] = [p.encode("latin-1") for p in plan["patterns"]]
            return plan
        except (ValueError, KeyError):
            pass
    base = hs.HS_FLAG_MULTILINE
    patterns: list[bytes] = []
    flags: list[int] = []
    ids: list[int] = []
    always: list[int] = []
    modes: dict[str, str] = {}
    # Each rule's choice is cached on its own too, so a policy that enables one more rule
    # only pays for that rule (and the final database compile).
    forms_name = "hsforms-" + _cache.key(FORMS_VERSION, version) + ".json"
    try:
        known: dict[str, Any] = json.loads(_cache.read(forms_name) or b"{}")
    except ValueError:
        known = {}
    learned = False
    sample: bytes | None = None
    for rule in rules:
        rule_key = _cache.key(rule.rule.pattern, rule.rule.prefilter or "",
                              "\0".join(rule.rule.keywords), str(rule.multiline))
        entry = known.get(rule_key)
        if entry is None:
            if sample is None:
                sample = calibration_corpus()
            choice, chosen = _choose(rule, hs, base, sample)
            entry = known[rule_key] = [choice, [[e.decode("latin-1"), f] for e, f in chosen]]
            learned = True
        choice, chosen_raw = entry
        if choice == "always":
            always.append(rule.index)
        for expression, flag in chosen_raw:
            patterns.append(expression.encode("latin-1"))
            flags.append(flag)
            ids.append(rule.index)
        modes[rule.id] = choice
    if learned:
        _cache.write(forms_name, json.dumps(known).encode())
    # The database is keyed by exactly what it is compiled from.
    db_key = _cache.key(version, *patterns, json.dumps(flags))
    plan = {"patterns": patterns, "flags": flags, "ids": ids, "always": always, "modes": modes,
            "key": db_key}
    stored = {**plan, "patterns": [p.decode("latin-1") for p in patterns]}
    _cache.write(cache_name, json.dumps(stored).encode())
    return plan


Form = list[tuple[bytes, int]]
FORMS_VERSION = "1"
_MAX_REPEAT = re.compile(r"\{(\d+)(,(\d*))?\}")


def cap_repeats(expression: str, limit: int = 64) -> str:
    """Bounded repeats above ``limit`` become open-ended (a superset Hyperscan compiles fast)."""

    def cap(match: re.Match[str]) -> str:
        low = int(match.group(1))
        high = match.group(3)
        if match.group(2) is None:  # {n}
            return match.group(0) if low <= limit else f"{{{limit},}}"
        if high == "" or int(high) <= limit:
            return match.group(0) if low <= limit else f"{{{limit},}}"
        return f"{{{min(low, limit)},}}"

    return _MAX_REPEAT.sub(cap, expression)


def _forms(rule: CompiledRule, hs: Any, base: int) -> list[tuple[str, Form]]:
    """Every way Hyperscan can find this rule's candidate lines, best first."""
    forms: list[tuple[str, Form]] = []
    if rule.rule.prefilter:
        expression = rule.rule.prefilter.encode()
        if _compiles(hs, expression, base):
            return [("custom", [(expression, base)])]
    if not rule.multiline:
        exact = cap_repeats(hyperscan_expression(rule.rule.pattern)).encode()
        if _compiles(hs, exact, base):
            return [("exact", [(exact, base)])]
    if rule.keywords:
        forms.append(("keywords", [(_literal(kw), base | hs.HS_FLAG_CASELESS) for kw in rule.keywords]))
    if not rule.multiline:
        loose = cap_repeats(hyperscan_expression(rule.rule.pattern, lookarounds=False)).encode()
        if _compiles(hs, loose, base):
            forms.append(("exact-no-lookaround", [(loose, base)]))
        elif not rule.keywords and _compiles(hs, loose, base | hs.HS_FLAG_PREFILTER):
            forms.append(("prefilter", [(loose, base | hs.HS_FLAG_PREFILTER)]))
    return forms


#: What one candidate hit costs downstream (callback, line lookup, exact confirmation), in
#: seconds: the planner weighs it against the time Hyperscan itself spends on a form.
HIT_COST = 5e-6


def _choose(rule: CompiledRule, hs: Any, base: int, sample: bytes) -> tuple[str, Form]:
    """The form with the least estimated cost on ordinary logs (the first on ties), or
    ``("always", [])`` when Hyperscan can take none."""
    forms = _forms(rule, hs, base)
    if not forms:
        return "always", []
    if len(forms) == 1:
        return forms[0]
    return min(forms, key=lambda item: _noise(hs, item[1], sample))


def _noise(hs: Any, parts: Form, sample: bytes) -> float:
    """Estimated cost of a form on ordinary logs: scan time plus hits times HIT_COST."""
    db = hs.Database()
    db.compile(expressions=[e for e, _ in parts], ids=list(range(len(parts))),
               elements=len(parts), flags=[f for _, f in parts])
    count = [0]

    def on_match(*_: object) -> None:
        count[0] += 1

    best = float("inf")
    for _ in range(3):
        count[0] = 0
        start = time.perf_counter()
        db.scan(sample, match_event_handler=on_match)
        best = min(best, time.perf_counter() - start)
    return best + count[0] * HIT_COST


def _compiles(hs: Any, expression: bytes, flag: int) -> bool:
    try:
        hs.Database().compile(expressions=[expression], ids=[0], elements=1, flags=[flag])
    except hs.error:
        return False
    return True


def _database(hs: Any, plan: dict[str, Any]) -> Any:
    patterns = plan["patterns"]
    if not patterns:
        return None
    cache_name = "hsdb-" + plan["key"] + ".bin"
    cached = _cache.read(cache_name)
    if cached is not None:
        try:
            db = hs.loadb(cached, hs.HS_MODE_BLOCK)
            hs.Scratch(db)  # a damaged or foreign database fails here, not mid-stream
            return db
        except Exception:
            pass
    db = hs.Database(mode=hs.HS_MODE_BLOCK)
    db.compile(expressions=patterns, ids=list(range(len(patterns))), elements=len(patterns),
               flags=plan["flags"])
    _cache.write(cache_name, hs.dumpb(db))
    return db
