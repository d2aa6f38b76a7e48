"""Streaming: any chunking gives the whole-input result; lines are preserved; long lines are
windowed; memory stays bounded."""

from __future__ import annotations

import asyncio
import tracemalloc
from collections.abc import AsyncIterator

from hypothesis import given
from hypothesis import strategies as st

from k8s_redact import Policy, Redactor
from k8s_redact._stream import first_long_line
from k8s_redact.testing import assert_no_leaks

from .corpus import MINI_PACK, PLAIN_LINES, canaries

PEM = ("-----BEGIN RSA PRIVATE KEY-----\n"
       "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"
       "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n"
       "-----END RSA PRIVATE KEY-----")


def _pieces() -> st.SearchStrategy[str]:
    canary_lines = [c.line for c in canaries() if "\n" not in c.line]
    return st.one_of(
        st.sampled_from(PLAIN_LINES),
        st.sampled_from(canary_lines),
        st.just(PEM),
        st.text(st.characters(blacklist_categories=["Cs"]), max_size=40),
        # A long line: several canaries glued into one line longer than the window.
        st.lists(st.sampled_from(canary_lines + PLAIN_LINES), min_size=12, max_size=40).map(
            lambda parts: " | ".join(p.replace("\n", " ") for p in parts)),
    )


documents = st.lists(_pieces(), min_size=1, max_size=12).map("\n".join)


def _split(text: str, cuts: list[int]) -> list[str]:
    points = sorted({c % (len(text) + 1) for c in cuts})
    chunks, prev = [], 0
    for p in points:
        chunks.append(text[prev:p])
        prev = p
    chunks.append(text[prev:])
    return chunks


class TestChunkingInvariance:
    @given(documents, st.lists(st.integers(min_value=0, max_value=10**6), max_size=30))
    def test_str_chunks_equal_whole(self, small_window_redactor: Redactor, text: str,
                                    cuts: list[int]) -> None:
        """Streaming str chunks cut anywhere (inside secrets, PEM blocks, long lines) equals
        redacting the whole text."""
        whole = small_window_redactor.redact(text)
        streamed = "".join(small_window_redactor.stream(_split(text, cuts)))
        assert streamed == whole

    @given(documents, st.lists(st.integers(min_value=0, max_value=10**6), max_size=30))
    def test_byte_chunks_equal_whole(self, small_window_redactor: Redactor, text: str,
                                     cuts: list[int]) -> None:
        """Byte chunks may split UTF-8 sequences; the output is still identical."""
        data = text.encode()
        points = sorted({c % (len(data) + 1) for c in cuts})
        chunks = [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]
        assert b"".join(small_window_redactor.stream(chunks)) == small_window_redactor.redact_bytes(data)

    @given(documents)
    def test_one_byte_at_a_time(self, small_window_redactor: Redactor, text: str) -> None:
        """The extreme chunking: one character per chunk."""
        assert "".join(small_window_redactor.stream(list(text))) == small_window_redactor.redact(text)

    def test_secret_split_inside(self, redactor: Redactor) -> None:
        """Every canary, split at every position of its secret, is still redacted."""
        for canary in canaries()[:40]:
            start = canary.line.index(canary.secret)
            for cut in range(start, start + len(canary.secret) + 1, 3):
                out = "".join(redactor.stream([canary.line[:cut], canary.line[cut:], "\n"]))
                assert_no_leaks(out, [canary.secret])


class TestLinesPreserved:
    @given(documents)
    def test_line_count(self, small_window_redactor: Redactor, text: str) -> None:
        """A line in is a line out: the newline count never changes (PEM blocks included)."""
        assert small_window_redactor.redact(text).count("\n") == text.count("\n")

    @given(documents)
    def test_idempotent(self, small_window_redactor: Redactor, text: str) -> None:
        """Redacting twice equals redacting once."""
        once = small_window_redactor.redact(text)
        assert small_window_redactor.redact(once) == once

    def test_pem_block_lines(self, redactor: Redactor) -> None:
        """A PEM block becomes one placeholder per line."""
        out = redactor.redact("before\n" + PEM + "\nafter\n")
        assert out.splitlines() == ["before"] + ["[REDACTED:private-key-pem]"] * 4 + ["after"]

    def test_unterminated_pem_fails_closed(self, redactor: Redactor) -> None:
        """A PEM block whose END never comes still loses its key material."""
        body = PEM.rsplit("\n", 1)[0]
        out = redactor.redact(body + "\n")
        assert "MIIEowIBAAKCAQEA" not in out and "VTLw7onLRnrq0" not in out
        assert out.count("\n") == body.count("\n") + 1


class TestLongLines:
    def test_secret_across_window_edge(self) -> None:
        """A secret straddling every possible window edge of a long line is caught."""
        r = Redactor(Policy(builtin_rules=False, rule_packs=(MINI_PACK,), max_line=256,
                            overlap=96))
        secret = "tok_" + "Ab3dE6gH9jK2mN5pQ8sT1vW4"
        for offset in range(150, 260, 7):
            line = "x" * offset + " token " + secret + " " + "y" * 700
            out = r.redact(line)
            assert_no_leaks(out, [secret])
            assert len(out.splitlines()) == 1

    def test_first_long_line(self) -> None:
        """The stride search finds exactly the first line longer than the limit."""
        buf = b"a" * 10 + b"\n" + b"b" * 50 + b"\n" + b"c" * 101 + b"\nd"
        assert first_long_line(buf, 100) == 11 + 51
        assert first_long_line(buf, 200) == -1
        assert first_long_line(b"x" * 300, 100) == 0

    def test_endless_line_bounded_memory(self) -> None:
        """A 32 MiB line with no newline streams through in bounded memory."""
        r = Redactor(Policy(max_line=1 << 16, overlap=1 << 12))
        chunk = (b"lorem ipsum dolor sit amet " * 40)[:1000]

        def chunks():  # type: ignore[no-untyped-def]
            for _ in range(32 * 1024):
                yield chunk

        tracemalloc.start()
        total = 0
        for out in r.stream(chunks()):
            total += len(out)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert total == 32 * 1024 * 1000
        assert peak < 8 << 20


class TestAsync:
    def test_astream_equals_stream(self, redactor: Redactor) -> None:
        """The async variant yields the same text."""
        text = "\n".join(c.line for c in canaries()[:20]) + "\n"

        async def gen() -> AsyncIterator[str]:
            for i in range(0, len(text), 7):
                yield text[i:i + 7]

        async def run() -> str:
            return "".join([part async for part in redactor.astream(gen())])

        assert asyncio.run(run()) == redactor.redact(text)
