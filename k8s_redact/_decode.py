"""Encoded secrets: base64 and percent-encoded text that decodes to something a rule finds.

Two built-in rules (``base64-encoded-secret``, ``percent-encoded-secret``) find the encoded run;
their ``decodes_to_secret`` validator decodes it (bounded size) and scans the result with the same
redactor, at most ``MAX_DEPTH`` encodings deep.  The base64 rule's keywords are the base64 forms
of words that secrets travel with (``password``, ``token``, ``BEGIN``...) at all three byte
alignments, so ordinary base64 (checksums, protobuf, images) is never even decoded.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable, Iterable

from ._model import PositiveExample, Rule
from ._validators import b64decode_loose

MAX_DEPTH = 2
MAX_DECODED = 64 << 10
BASE64_RULE_ID = "base64-encoded-secret"
PERCENT_RULE_ID = "percent-encoded-secret"

#: Words whose base64 forms mark a blob worth decoding.
MARKER_WORDS = ("password", "passwd", "secret", "token", "apikey", "api_key", "api-key",
                "PRIVATE KEY", "BEGIN", "Bearer", "Basic ", "AKIA", "ghp_", "xox", "sk_live",
                "Authorization", "credential", "client_secret", "PASSWORD", "SECRET", "TOKEN")


def base64_markers(words: Iterable[str] = MARKER_WORDS) -> tuple[str, ...]:
    """The base64 substrings fully determined by each word, at byte offsets 0, 1 and 2."""
    out = set()
    for word in words:
        raw = word.encode()
        for pad in range(3):
            encoded = base64.b64encode(b"\0" * pad + raw + b"\0\0").decode()
            first = -(-8 * pad // 6)
            last = (8 * (pad + len(raw))) // 6
            stable = encoded[first:last]
            if len(stable) >= 4:
                out.add(stable.lower())
    return tuple(sorted(out))


def _printable(text: str) -> bool:
    if not text:
        return False
    good = sum(c.isprintable() or c in "\n\r\t" for c in text)
    return good >= 0.95 * len(text)


def decode_base64(value: str) -> str | None:
    body = value.strip().rstrip("=")
    if len(body) < 8 or len(body) > MAX_DECODED * 4 // 3:
        return None
    raw = b64decode_loose(body)
    try:
        text = raw.decode("utf-8") if raw is not None else None
    except UnicodeDecodeError:
        return None
    return text if text is not None and _printable(text) else None


def percent_index(value: str) -> tuple[str, list[int]] | None:
    """Decode ``%XX`` escapes (and ``+``); for each decoded character, where it starts in
    ``value`` (plus a final entry for the end), so findings map back to encoded offsets.
    ``None`` when there is nothing to decode, or it is not printable UTF-8 text."""
    if "%" not in value or len(value) > MAX_DECODED:
        return None
    raw = bytearray()
    byte_starts: list[int] = []
    i = 0
    while i < len(value):
        c = value[i]
        if c == "%" and i + 2 < len(value) + 0 and _is_hex(value[i + 1:i + 3]):
            raw.append(int(value[i + 1:i + 3], 16))
            byte_starts.append(i)
            i += 3
        else:
            encoded = (" " if c == "+" else c).encode()
            for b in encoded:
                raw.append(b)
                byte_starts.append(i)
            i += 1
    try:
        text = bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return None
    starts: list[int] = []
    pos = 0
    for ch in text:
        starts.append(byte_starts[pos])
        pos += len(ch.encode())
    starts.append(len(value))
    return (text, starts) if text != value and _printable(text) else None


def _is_hex(pair: str) -> bool:
    return len(pair) == 2 and all(c in "0123456789abcdefABCDEF" for c in pair)


class DecodedScanner:
    """Scans decoded text with the redactor that owns it, at most ``MAX_DEPTH`` encodings deep
    (per thread).  ``base64`` is a validator (the whole run goes); ``percent_spans`` refines a
    percent-encoded run to the encoded parts that hold the secrets."""

    def __init__(self, scan: Callable[[str], list[tuple[int, int]]]) -> None:
        self._scan_text = scan
        self._local = threading.local()

    def _scan(self, text: str) -> list[tuple[int, int]]:
        depth = getattr(self._local, "depth", 0)
        if depth >= MAX_DEPTH:
            return []
        self._local.depth = depth + 1
        try:
            return self._scan_text(text)
        finally:
            self._local.depth = depth

    def base64(self, value: str) -> bool:
        decoded = decode_base64(value)
        return decoded is not None and bool(self._scan(decoded))

    def percent_decodes(self, value: str) -> bool:
        """The cheap gate before ``percent_spans``: the run decodes to other, printable text."""
        return percent_index(value) is not None

    def percent_spans(self, value: str) -> list[tuple[int, int]]:
        """Where, in the encoded ``value``, the secrets found in its decoded form lie."""
        decoded = percent_index(value)
        if decoded is None:
            return []
        text, starts = decoded
        return [(starts[s], starts[e]) for s, e in self._scan(text)]


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def encoded_rules() -> list[Rule]:
    """The two built-in encoded-secret rules (code-generated: their keywords are computed)."""
    pw = _b64("password=hunter2-and-more")
    env = _b64("DB_PASSWORD=tr0ub4dor&3\nDB_USER=app\n")
    js = _b64('{"token": "t0k3n-v4lue-123456"}')
    return [
        Rule(
            id=BASE64_RULE_ID, category="secret",
            description="Base64 text that decodes to text holding a secret (decoded up to "
                        f"{MAX_DECODED // 1024} KiB, {MAX_DEPTH} encodings deep).",
            pattern=r"(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{12,87380}={0,2}(?![A-Za-z0-9+/=_-])",
            keywords=base64_markers(),
            validators=(("decodes_to_secret", "base64"),),
            priority=70,
            positives=(PositiveExample(f"config_b64: {pw}", (pw,)),
                       PositiveExample(f"APP_SETTINGS_B64={env} loaded", (env,)),
                       PositiveExample(f'{{"body":"{js}"}}', (js,))),
            negatives=(f"checksum sha256={_b64('x' * 32)}",
                       "payload=CgRzZWxmEgR0ZXN0GgNmb28iA2Jhcg== size=24",
                       f"greeting {_b64('hello token world, nothing secret here')}"),
            source="<k8s_redact._decode>",
        ),
        Rule(
            id=PERCENT_RULE_ID, category="secret",
            description="Percent-encoded text that decodes to text holding a secret (only the "
                        "encoded secret itself is redacted).",
            pattern=r"(?<![\w%.~+*-])(?=[\w.~+*-]*%)(?:[\w.~+*-]|%[0-9A-Fa-f]{2}){6,8192}",
            keywords=("%3d", "%3a", "%22", "%40", "%20"),
            validators=(("decodes_to_secret", "percent"),),
            priority=70,
            skip_contexts=("query",),
            positives=(PositiveExample("GET /search?q=password%3Dhunter2%21 HTTP/1.1",
                                       ("hunter2%21",)),
                       PositiveExample("next=%2Fcb%3Faccess_token%3D8u2GcRAXFHVnQJ9ihigN%26state%3Dabc",
                                       ("8u2GcRAXFHVnQJ9ihigN",))),
            negatives=("GET /search?q=hello%20world%3A%20kubernetes HTTP/1.1",
                       "next=%2Fdashboard%3Ftab%3Dpods",
                       "trace_id=4bf92f3577b34da6a3ce929d0e0e4736"),
            source="<k8s_redact._decode>",
        ),
    ]
