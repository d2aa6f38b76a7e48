"""Streaming: any chunking of the input gives the output of redacting it whole.

The input is cut into lines; lines are handed to the engine in blocks of complete lines.  Lines
longer than ``max_line`` bytes are scanned in overlapping windows (``max_line`` bytes each,
``overlap`` bytes shared with the next), with window positions fixed relative to the line start,
so the result does not depend on how the line arrived.  Each window owns the findings that start
in its middle: from half the overlap after its start to half the overlap after the next window's
start.  So every secret up to ``overlap / 2`` bytes long, with up to ``overlap / 2`` bytes of
context before it (``password=`` in front of the value), is seen whole, with its context, by the
window that owns it.

Memory is bounded by ``max_line`` plus the largest chunk plus, while a multiline rule (a PEM
block) waits for its end, that rule's ``max_span``.  Output is emitted as soon as it is settled:
line by line when lines arrive one at a time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from ._engine import Engine, Piece, Render, Span, render

#: Default longest line scanned as one piece (bytes).  Longer lines are windowed.
MAX_LINE = 1 << 20
#: Default overlap between windows of a long line (bytes).  Half of it is the longest secret (and
#: the longest context before it) certainly caught across a window edge: 8 KiB.
OVERLAP = 16 << 10

OnSpan = Callable[[int, int, int], None]
#: Re-redacts one whole line structurally (a JSON log line the text spans would break).
LineFixer = Callable[[bytes], bytes | None]

_TOKEN_TAIL = re.compile(rb"[^\s\"'<>,;&|]*")
_JSON_LINE = re.compile(rb"^(?:\S+ (?:stdout|stderr) [FP] )?\s*\{.*\}\s*$", re.DOTALL)


def _valid_json(data: bytes) -> bool:
    try:
        json.loads(data)
    except ValueError:
        return False
    return True


def _json_start(line: bytes) -> int | None:
    """Where the JSON object of a JSON log line starts (after a CRI prefix), or None."""
    if b"{" not in line[:64] or not _JSON_LINE.match(line):
        return None
    return line.index(b"{")


def structural_json_lines(buf: bytes, lo: int, hi: int,
                          fix: LineFixer) -> dict[int, tuple[int, bytes]]:
    """``--format json``: every JSON line of ``buf[lo:hi]`` redacted structurally (key-aware,
    Secret-aware, nested JSON strings), whether or not a text rule fired on it."""
    fixes: dict[int, tuple[int, bytes]] = {}
    pos = lo
    while pos < hi:
        nl = buf.find(b"\n", pos, hi)
        end = hi if nl == -1 else nl
        line = buf[pos:end]
        cut = _json_start(line)
        if cut is not None:
            fixed = fix(line[cut:])
            if fixed is not None:
                fixes[pos] = (end, line[:cut] + fixed)
        pos = end + 1
    return fixes


def guard_json_lines(buf: bytes, spans: list[Span], replace: Render,
                     fix: LineFixer) -> dict[int, tuple[int, bytes]]:
    """Lines that were valid JSON and that the spans would make invalid (a span eating a quote
    or an escape), mapped to their structural redaction: ``{line_start: (line_end, bytes)}``.
    JSON log lines stay valid JSON, whatever the text rules matched."""
    fixes: dict[int, tuple[int, bytes]] = {}
    i = 0
    while i < len(spans):
        start = buf.rfind(b"\n", 0, spans[i][0]) + 1
        end = buf.find(b"\n", start)
        end = len(buf) if end == -1 else end
        j = i
        while j < len(spans) and spans[j][0] < end:
            j += 1
        line = buf[start:end]
        prefix_end = _json_start(line) if spans[j - 1][1] <= end else None
        if prefix_end is not None:
            body = line[prefix_end:]
            if _valid_json(body):
                pieces: list[Piece] = []
                render(buf, spans[i:j], start + prefix_end, end, 0, replace, pieces)
                if not _valid_json(b"".join(pieces)):
                    # The structure decides: its redaction (every string value through the
                    # rules, keys by name), or the line as it was when the structure holds
                    # nothing to redact (the spans were about JSON syntax, not a value).
                    fixed = fix(body)
                    fixes[start] = (end, line[:prefix_end] + (body if fixed is None else fixed))
        i = j
    return fixes


def first_long_line(buf: bytes, max_line: int, lo: int = 0) -> int:
    """Start of the first line of ``buf[lo:]`` (``lo`` is a line start; complete lines or the
    trailing partial one) longer than ``max_line``, or -1.  Looks at one stride of
    ``max_line / 2`` bytes at a time, not at every line."""
    n = len(buf)
    if n - lo <= max_line:
        return -1
    half = max(1, max_line // 2)
    pos = lo
    while pos + half <= n:
        if buf.find(b"\n", pos, pos + half) != -1:
            pos += half
            continue
        start = buf.rfind(b"\n", lo, pos) + 1 or lo
        end = buf.find(b"\n", pos)
        if (n if end == -1 else end) - start > max_line:
            return start
        if end == -1:
            return -1
        pos = end + 1
    return -1


class _LongLine:
    """Windowed scanning of one line longer than ``max_line``."""

    def __init__(self, engine: Engine, replace: Render, max_line: int, overlap: int,
                 origin: int, on_span: OnSpan | None) -> None:
        self._engine = engine
        self._replace = replace
        self._size = max_line
        self._step = max_line - overlap
        self._origin = origin  # absolute stream offset of the line start
        self._on_span = on_span
        self._buf = b""
        self._base = 0  # line offset of _buf[0]
        self._window = 0
        self._emitted = 0
        self._pending: list[Span] = []

    def feed(self, data: bytes, end: bool, out: list[Piece]) -> None:
        self._buf += data
        available = self._base + len(self._buf)
        size, step = self._size, self._step
        half = (size - step) // 2
        while True:
            w_start = self._window * step
            # Half an overlap past the window must be here too: a match cut by the window edge
            # is extended into it (below), and that must not depend on how the data arrived.
            if not end and available <= w_start + size + half:
                break
            last = end and w_start + size >= available
            w_end = min(w_start + size, available)
            window = self._buf[w_start - self._base:w_end - self._base]
            spans, _ = self._engine.find(window)
            next_start = w_start + step
            own_from = w_start + half if self._window else 0
            own_to = next_start + half
            emitted = self._emitted
            for s, e, rid in spans:
                s += w_start
                e += w_start
                if s < own_from or (not last and s >= own_to):
                    continue  # a neighbouring window sees this one whole, with its context
                if e <= emitted:
                    continue
                if not last and e == w_end:
                    # A match cut by the window edge may go on (a long token): fail closed and
                    # redact on to the end of the token, at most half an overlap further.
                    limit = min(available, w_end + half) - self._base
                    tail = _TOKEN_TAIL.match(self._buf, e - self._base, limit)
                    if tail is not None:
                        e = self._base + tail.end()
                self._pending.append((max(s, emitted), e, rid))
            pending = self._engine.merge(self._pending)
            if last:
                cut = available
            else:
                cut = own_to
                for s, e, _ in pending:
                    if s < cut < e:
                        cut = e
            ready = [sp for sp in pending if sp[0] < cut]
            self._pending = [sp for sp in pending if sp[0] >= cut]
            render(self._buf, ready, emitted, cut, self._base, self._replace, out)
            if self._on_span is not None:
                for s, e, rid in ready:
                    self._on_span(rid, self._origin + s, self._origin + e)
            self._emitted = cut
            if last:
                self._buf = b""
                break
            keep_from = min(next_start, cut)
            self._buf = self._buf[keep_from - self._base:]
            self._base = keep_from
            self._window += 1


class ByteStreamer:
    """Incremental redaction of a byte stream.  Not thread-safe: one per stream."""

    def __init__(self, engine: Engine, replace: Render, *, max_line: int = MAX_LINE,
                 overlap: int = OVERLAP, on_span: OnSpan | None = None,
                 fix_line: LineFixer | None = None, json_lines: bool = False) -> None:
        if not 0 < overlap < max_line:
            raise ValueError("overlap must be positive and smaller than max_line")
        self._engine = engine
        self._replace = replace
        self._max_line = max_line
        self._overlap = overlap
        self._on_span = on_span
        self._fix_line = fix_line
        self._json_lines = json_lines and fix_line is not None
        self._buf = b""
        self._consumed = 0  # absolute stream offset of _buf[0]
        self._long: _LongLine | None = None

    def _block(self, buf: bytes, lo: int, hi: int, complete: bool, out: list[Piece]) -> int:
        spans, settled = self._engine.find(buf, lo, hi, complete)
        fixes = guard_json_lines(buf, spans, self._replace, self._fix_line) if (
            spans and self._fix_line is not None) else None
        if self._json_lines:
            assert self._fix_line is not None
            structural = structural_json_lines(buf, lo, settled, self._fix_line)
            if structural:
                fixes = {**structural, **(fixes or {})}
        if self._on_span is not None:
            base = self._consumed
            kept = {start for start, (end, fixed) in (fixes or {}).items()
                    if fixed == buf[start:end]}  # lines the structure left as they were
            for s, e, rid in spans:
                if kept and (buf.rfind(b"\n", 0, s) + 1) in kept:
                    continue
                self._on_span(rid, base + s, base + e)
        if not fixes:
            render(buf, spans, lo, settled, 0, self._replace, out)
            return settled
        pos = lo
        k = 0
        for start in sorted(fixes):
            end, fixed = fixes[start]
            before = []
            while k < len(spans) and spans[k][0] < start:
                before.append(spans[k])
                k += 1
            render(buf, before, pos, start, 0, self._replace, out)
            out.append(fixed)
            while k < len(spans) and spans[k][0] < end:
                k += 1
            pos = end
        render(buf, spans[k:], pos, settled, 0, self._replace, out)
        return settled

    def feed_pieces(self, data: bytes) -> list[Piece]:
        """Take the next chunk; return the output it settles as pieces (slices of the input,
        without copying, and replacements).  Write or join them before the next call."""
        buf = self._buf + data if self._buf else data
        out: list[Piece] = []
        pos = 0
        n = len(buf)
        while pos < n:
            if self._long is not None:
                nl = buf.find(b"\n", pos)
                if nl == -1:
                    self._long.feed(buf[pos:], False, out)
                    pos = n
                    break
                self._long.feed(buf[pos:nl], True, out)
                out.append(b"\n")
                pos = nl + 1
                self._long = None
                continue
            long_at = first_long_line(buf, self._max_line, pos)
            if long_at == -1:
                last_nl = buf.rfind(b"\n", pos)
                if last_nl != -1:
                    pos = self._block(buf, pos, last_nl + 1, False, out)
                break
            if long_at > pos:
                pos = self._block(buf, pos, long_at, True, out)
            self._long = _LongLine(self._engine, self._replace, self._max_line, self._overlap,
                                   self._consumed + pos, self._on_span)
        self._buf = buf[pos:] if pos else buf
        self._consumed += pos
        return out

    def feed(self, data: bytes) -> bytes:
        """Take the next chunk; return the output it settles (possibly empty)."""
        return b"".join(self.feed_pieces(data))

    def close_pieces(self) -> list[Piece]:
        """End of input: settle everything still held."""
        buf, self._buf = self._buf, b""
        out: list[Piece] = []
        if self._long is not None:
            long, self._long = self._long, None
            long.feed(buf, True, out)
        elif buf:
            self._block(buf, 0, len(buf), True, out)
        self._consumed += len(buf)
        return out

    def close(self) -> bytes:
        """End of input: settle and return everything still held."""
        return b"".join(self.close_pieces())
