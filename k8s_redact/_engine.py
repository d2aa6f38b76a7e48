"""The scanning engine: from a block of complete lines to the spans that must be redacted.

Semantics (what both prefilters, every chunking and every front end agree on):

* Single-line rules match within one line (the text between two ``\\n``), never across.
* A multiline rule's match starts on a line holding one of its keywords and may run on for
  ``max_span`` bytes and then to the end of that line (PEM blocks, Secret ``data`` blocks).
* A rule's pattern that times out redacts the whole line it ran on (fail closed).
* Overlapping spans are merged into one (the union: no matched byte survives); the merged span
  carries the label of the span that starts first, then the longest, then the lowest rule
  priority number, then the rule id.  Touching spans stay separate.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ._compiled import CompiledRule
from ._prefilter import Prefilter

#: A span to redact: (start, end, rule index) in byte offsets; rule index ``TIMEOUT`` for lines
#: redacted whole because a pattern timed out.
Span = tuple[int, int, int]
TIMEOUT = -1
TIMEOUT_ID = "timeout"
_PLACEHOLDER = re.compile(rb"'?\[REDACTED(?::[\w.:-]*)?\]'?")

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
        self._always_single = tuple(i for i in prefilter.always if not self._multiline[i])
        self._order = {r.index: (r.priority, r.id) for r in self.rules}
        self._order[TIMEOUT] = (-1, TIMEOUT_ID)

    # ------------------------------------------------------------------ finding

    def find(self, buf: bytes, lo: int = 0, hi: int | None = None,
             complete: bool = True) -> tuple[list[Span], int]:
        """Spans in ``buf[lo:hi]``, a block of complete lines (the last may lack its newline
        when ``complete``).  Offsets are absolute in ``buf``.

        Returns the merged spans and the offset up to which they settle the block.  When the
        block is not ``complete`` (more lines may follow), a multiline rule whose window runs
        past ``hi`` holds back the block from that line on: the caller feeds it again with more
        data.  Spans never cross the returned boundary.
        """
        if hi is None:
            hi = len(buf)
        hits = self.prefilter.hits(buf, lo, hi)
        if not hits and not self._always_single:
            return [], hi
        lines: dict[int, set[int]] = {}
        multi: dict[int, set[int]] = {}
        multiline = self._multiline
        rfind = buf.rfind
        find = buf.find
        for rid, end in hits:
            start = rfind(b"\n", lo, end - 1) + 1 or lo
            target = multi if multiline[rid] else lines
            bucket = target.get(start)
            if bucket is None:
                target[start] = {rid}
            else:
                bucket.add(rid)
        if self._always_single:
            always = set(self._always_single)
            start = lo
            while start < hi:
                lines.setdefault(start, set()).update(always)
                nl = find(b"\n", start, hi)
                start = hi if nl == -1 else nl + 1
        cut = hi
        if not complete:
            for start, rids in multi.items():
                if start + max(self.rules[r].max_span for r in rids) > hi:
                    cut = min(cut, start)
        spans: list[Span] = []
        for start in sorted(lines):
            if start < cut:
                end = find(b"\n", start, hi)
                spans.extend(self._confirm_line(buf, start, hi if end == -1 else end, lines[start]))
        for start in sorted(multi):
            if start < cut:
                spans.extend(self._confirm_region(buf, start, hi, multi[start]))
        if cut < hi:
            settled = False
            while not settled:
                settled = True
                for s, e, _ in spans:
                    if s < cut < e:
                        cut = rfind(b"\n", lo, s) + 1 or lo
                        settled = False
            spans = [sp for sp in spans if sp[1] <= cut]
        return self.merge(spans), cut

    def _confirm_line(self, block: bytes, start: int, end: int, rids: set[int]) -> list[Span]:
        raw = block[start:end]
        lowered = raw.lower()
        text = raw.decode("utf-8", "surrogateescape")
        to_byte = None if raw.isascii() else _char_to_byte(text)
        found: list[Span] = []
        # Our own placeholders ([REDACTED:rule:hash] reads like key:value) are never matched
        # again: redacting twice equals redacting once, whatever the operator.
        placeholders = [m.span() for m in _PLACEHOLDER.finditer(raw)] if b"[REDACTED" in raw else ()
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
                if placeholders and any(s < pe and ps < e for ps, pe in placeholders):
                    continue
                found.append((start + s, start + e, rid))
        return found

    def _confirm_region(self, block: bytes, start: int, n: int, rids: set[int]) -> list[Span]:
        line_end = block.find(b"\n", start, n)
        line_end = n if line_end == -1 else line_end
        found: list[Span] = []
        first_line = block[start:line_end]
        lowered = first_line.lower()
        for rid in sorted(rids):
            rule = self.rules[rid]
            if not rule.has_keyword(lowered):
                continue
            # The window runs max_span bytes, then on to the end of that line, so a long value
            # (a Helm release, a certificate) is never cut in two.
            stop = start + rule.max_span
            if stop < n:
                nl = block.find(b"\n", stop - 1, n)
                stop = n if nl == -1 else nl
            raw = block[start:min(n, stop)]
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


Piece = bytes | memoryview


def _yaml_value_position(buf: bytes, s: int, e: int) -> bool:
    """The span is a whole unquoted value after ``key: `` or ``- `` up to the end of line."""
    if s < 2 or buf[s - 2:s] not in (b": ", b"- "):
        return False
    return e == len(buf) or buf[e:e + 1] in (b"\n", b"\r")


def render(buf: bytes, spans: Sequence[Span], start: int, end: int, base: int,
           replace: Render, out: list[Piece]) -> None:
    """Append ``buf[start:end]`` (absolute offsets; ``buf`` begins at ``base``) with every span
    in it replaced to ``out``, as pieces that are slices of ``buf`` (no copy) or replacements.
    Spans must be merged, sorted and lie within ``[start, end)``."""
    view = memoryview(buf)
    pos = start
    for s, e, rid in spans:
        if s > pos:
            out.append(view[pos - base:s - base])
        replacement = replace(rid, buf[s - base:e - base])
        if replacement[:1] == b"[" and _yaml_value_position(buf, s - base, e - base):
            # "key: [REDACTED:x]" would read back as a YAML list: quote it there.
            replacement = b"'" + replacement + b"'"
        out.append(replacement)
        pos = e
    if end > pos:
        out.append(view[pos - base:end - base])
