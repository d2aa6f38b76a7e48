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

import json
import threading
from collections.abc import Sequence
from typing import Any, Protocol

from . import _cache
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


def _literal(keyword: bytes) -> bytes:
    return b"".join(b"\\x%02x" % byte for byte in keyword)


class HyperscanPrefilter:
    """One Hyperscan block-mode database over every active rule."""

    name = "hyperscan"

    def __init__(self, rules: Sequence[CompiledRule]) -> None:
        import hyperscan as hs

        self._hs = hs
        plan = _plan(rules, hs)
        self._ids: list[int] = plan["ids"]
        self.always = tuple(plan["always"])
        self.modes: dict[str, str] = plan["modes"]
        self._db = _database(hs, plan)
        self._local = threading.local()
        self._base_scratch = hs.Scratch(self._db) if self._db is not None else None

    def _scratch(self) -> Any:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = self._base_scratch.clone()
        return scratch

    def hits(self, buf: bytes, lo: int, hi: int) -> list[Hit]:
        if self._db is None or hi <= lo:
            return []
        found: list[Hit] = []
        append = found.append
        ids = self._ids

        def on_match(pid: int, start: int, end: int, flags: int, context: object) -> None:
            append((ids[pid], lo + end))

        data = buf if lo == 0 and hi == len(buf) else memoryview(buf)[lo:hi]
        self._db.scan(data, match_event_handler=on_match, scratch=self._scratch())
        return found


def _plan(rules: Sequence[CompiledRule], hs: Any) -> dict[str, Any]:
    """Decide, per rule, what Hyperscan scans for.  Cached with the database."""
    signature = json.dumps([(r.rule.pattern, r.rule.keywords, r.multiline) for r in rules])
    version = getattr(hs, "__version__", "?")
    cache_name = "hsplan-" + _cache.key("2", version, signature) + ".json"
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
    for rule in rules:
        choice = None
        if not rule.multiline:
            expr = rule.rule.pattern.encode()
            for mode, flag in (("exact", base), ("prefilter", base | hs.HS_FLAG_PREFILTER)):
                try:
                    hs.Database().compile(expressions=[expr], ids=[0], elements=1, flags=[flag])
                except hs.error:
                    continue
                choice = mode
                patterns.append(expr)
                flags.append(flag)
                ids.append(rule.index)
                break
        if choice is None:
            if rule.keywords:
                choice = "keywords"
                for kw in rule.keywords:
                    patterns.append(_literal(kw))
                    flags.append(base | hs.HS_FLAG_CASELESS)
                    ids.append(rule.index)
            else:
                choice = "always"
                always.append(rule.index)
        modes[rule.id] = choice
    plan = {"patterns": patterns, "flags": flags, "ids": ids, "always": always, "modes": modes,
            "key": _cache.key(version, signature)}
    _cache.write(cache_name, json.dumps({**plan, "patterns": [p.decode("latin-1") for p in patterns]}).encode())
    return plan


def _database(hs: Any, plan: dict[str, Any]) -> Any:
    patterns = plan["patterns"]
    if not patterns:
        return None
    cache_name = "hsdb-" + plan["key"] + ".bin"
    cached = _cache.read(cache_name)
    if cached is not None:
        try:
            return hs.loadb(cached)
        except Exception:  # noqa: BLE001 - any damaged or foreign entry: rebuild
            pass
    db = hs.Database(mode=hs.HS_MODE_BLOCK)
    db.compile(expressions=patterns, ids=list(range(len(patterns))), elements=len(patterns),
               flags=plan["flags"])
    _cache.write(cache_name, hs.dumpb(db))
    return db
