"""The scanning engine: from a block of complete lines to the spans that must be redacted.

Semantics (what both prefilters, every chunking and every front end agree on):

* Single-line rules match within one line (the text between two ``\\n``), never across.
* A multiline rule's match starts on a line holding one of its keywords and may run on for at
  most ``max_span`` bytes (PEM blocks).
* A rule's pattern that times out redacts the whole line it ran on (fail closed).
* Overlapping spans are merged into one (the union: no matched byte survives); the merged span
  carries the label of the span that starts first, then the longest, then the lowest rule
  priority number, then the rule id.  Touching spans stay separate.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ._compiled import CompiledRule
from ._prefilter import Prefilter

#: A span to redact: (start, end, rule index) in byte offsets; rule index ``TIMEOUT`` for lines
#: redacted whole because a pattern timed out.
Span = tuple[int, int, int]
TIMEOUT = -1
TIMEOUT_ID = "timeout"

#: Renders a redacted value: (rule index, value bytes) -> replacement bytes.
Render = Callable[[int, bytes], bytes]


def _char_to_byte(text: str) -> Callable[[int], int]:
    def convert(i: int) -> int:
        return len(text[:i].encode("utf-8", "surrogateescape"))

    return convert


class Engine:
    """Finds spans in blocks.  Stateless between calls and safe to share between threads."""

    def __init__(self, rules: Sequence[CompiledRule], prefilter: Prefilter) -> None:
        self.rules = list(rules)
        self.prefilter = prefilter
        self._multiline = [r.multiline for r in self.rules]
        self._always = frozenset(prefilter.always)
        self._always_single = tuple(i for i in prefilter.always if not self._multiline[i])
        self._order = {r.index: (r.priority, r.id) for r in self.rules}
        self._order[TIMEOUT] = (-1, TIMEOUT_ID)

    # ------------------------------------------------------------------ finding

    def find(self, block: bytes, complete: bool = True) -> tuple[list[Span], int]:
        """Spans in ``block`` (complete lines; the last may lack its newline when ``complete``).

        Returns the merged spans and how many bytes of the block they settle.  When the block is
        not ``complete`` (more lines may follow), a multiline rule whose window runs past the
        block end holds back the block from that line on: the caller feeds it again with more
        data.  Spans never cross the returned boundary.
        """
        n = len(block)
        hits = self.prefilter.hits(block)
        if not hits and not self._always_single:
            return [], n
        lines: dict[int, set[int]] = {}
        multi: dict[int, set[int]] = {}
        multiline = self._multiline
        rfind = block.rfind
        for rid, end in hits:
            start = rfind(b"\n", 0, end - 1) + 1 if end > 0 else 0
            target = multi if multiline[rid] else lines
            bucket = target.get(start)
            if bucket is None:
                target[start] = {rid}
            else:
                bucket.add(rid)
        if self._always_single:
            always = set(self._always_single)
            start = 0
            while start < n:
                lines.setdefault(start, set()).update(always)
                nl = block.find(b"\n", start)
                start = n if nl == -1 else nl + 1
        cut = n
        if not complete:
            for start, rids in multi.items():
                if start + max(self.rules[r].max_span for r in rids) > n:
                    cut = min(cut, start)
        spans: list[Span] = []
        for start in sorted(lines):
            if start < cut:
                end = block.find(b"\n", start)
                spans.extend(self._confirm_line(block, start, n if end == -1 else end, lines[start]))
        for start in sorted(multi):
            if start < cut:
                spans.extend(self._confirm_region(block, start, n, multi[start]))
        if cut < n:
            settled = False
            while not settled:
                settled = True
                for s, e, _ in spans:
                    if s < cut < e:
                        cut = rfind(b"\n", 0, s) + 1
                        settled = False
            spans = [sp for sp in spans if sp[1] <= cut]
        return self.merge(spans), cut

    def _confirm_line(self, block: bytes, start: int, end: int, rids: set[int]) -> list[Span]:
        raw = block[start:end]
        lowered = raw.lower()
        text = raw.decode("utf-8", "surrogateescape")
        to_byte = None if raw.isascii() else _char_to_byte(text)
        found: list[Span] = []
        for rid in sorted(rids):
            rule = self.rules[rid]
            if not rule.has_keyword(lowered):
                continue
            try:
                spans = rule.spans(text)
            except TimeoutError:
                return [(start, end, TIMEOUT)] if end > start else []
            for s, e in spans:
                if to_byte is not None:
                    s, e = to_byte(s), to_byte(e)
                found.append((start + s, start + e, rid))
        return found

    def _confirm_region(self, block: bytes, start: int, n: int, rids: set[int]) -> list[Span]:
        line_end = block.find(b"\n", start)
        line_end = n if line_end == -1 else line_end
        found: list[Span] = []
        first_line = block[start:line_end]
        lowered = first_line.lower()
        for rid in sorted(rids):
            rule = self.rules[rid]
            if not rule.has_keyword(lowered):
                continue
            raw = block[start:min(n, start + rule.max_span)]
            text = raw.decode("utf-8", "surrogateescape")
            ascii_only = raw.isascii()
            limit = (line_end - start) if ascii_only else len(
                first_line.decode("utf-8", "surrogateescape"))
            try:
                spans = rule.spans(text, limit=limit)
            except TimeoutError:
                return [(start, line_end, TIMEOUT)] if line_end > start else []
            to_byte = None if ascii_only else _char_to_byte(text)
            for s, e in spans:
                if to_byte is not None:
                    s, e = to_byte(s), to_byte(e)
                found.append((start + s, start + e, rid))
        return found

    # ------------------------------------------------------------------ overlaps

    def merge(self, spans: list[Span]) -> list[Span]:
        """Union of overlapping spans, labelled deterministically (see module docstring)."""
        if len(spans) < 2:
            return spans
        order = self._order
        spans.sort(key=lambda sp: (sp[0], -sp[1], order[sp[2]]))
        merged: list[Span] = []
        cs, ce, cr = spans[0]
        for s, e, r in spans[1:]:
            if s < ce:
                if e > ce:
                    ce = e
            else:
                merged.append((cs, ce, cr))
                cs, ce, cr = s, e, r
        merged.append((cs, ce, cr))
        return merged


def render(block: bytes, spans: Sequence[Span], start: int, end: int, base: int,
           replace: Render) -> bytes:
    """``block[start:end]`` (absolute offsets; ``block`` begins at ``base``) with every span in
    it replaced.  Spans must be merged, sorted and lie within ``[start, end)``."""
    if not spans:
        return block[start - base:end - base]
    pieces = []
    pos = start
    for s, e, rid in spans:
        pieces.append(block[pos - base:s - base])
        pieces.append(replace(rid, block[s - base:e - base]))
        pos = e
    pieces.append(block[pos - base:end - base])
    return b"".join(pieces)
