"""The public entry point: a :class:`Redactor` built once from a :class:`Policy`, then shared."""

from __future__ import annotations

import codecs
import json
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from typing import TypeVar, overload

import regex

from ._compiled import CompiledRule
from ._decode import DecodedScanner, encoded_rules
from ._engine import TIMEOUT, TIMEOUT_ID, Engine
from ._errors import PolicyError
from ._keys import (
    SENSITIVE_KEY_RULE_ID,
    SensitiveKeys,
    accept_sensitive_key,
    sensitive_key_rule,
    split_key,
)
from ._loader import PATTERN_FLAGS, builtin_pack_paths, load_packs
from ._model import Finding, Rule
from ._operators import build_operator, placeholder, resolve_hash_key
from ._policy import Policy
from ._prefilter import HyperscanPrefilter, KeywordPrefilter, Prefilter, hyperscan_available
from ._stream import ByteStreamer, OnSpan
from ._structured import ObjectRedactor, _separators

_T = TypeVar("_T", str, bytes)
_O = TypeVar("_O")
#: The built-in rule whose operator also redacts Secret ``data`` values in objects.
SECRET_DATA_RULE_ID = "kubernetes-secret-data"
_STR_ERRORS = "surrogatepass"


class Redactor:
    """Redacts text, bytes and streams.  Thread-safe and cheap to share: build one per policy.

    >>> r = Redactor()
    >>> r.redact("Authorization: Bearer ghp_Ab3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6")
    'Authorization: Bearer [REDACTED:github-pat]'
    """

    def __init__(self, policy: Policy | None = None, *, rules: Sequence[Rule] | None = None) -> None:
        self.policy = policy = policy or Policy()
        self._keys = SensitiveKeys(extra=policy.sensitive_keys,
                                   exclude=policy.non_sensitive_keys)
        query_keys = SensitiveKeys(extra=policy.sensitive_keys,
                                   exclude=policy.non_sensitive_keys, query=True)
        if rules is None:
            rules = [*(builtin_rules(policy.sensitive_keys) if policy.builtin_rules else []),
                     *load_packs(policy.rule_packs)]
        active = policy.select(rules)
        extra_allow = _user_allowlist(policy)
        accept_key = accept_sensitive_key(query_keys)
        decoded = DecodedScanner(lambda text: [(f.start, f.end) for f in self.scan(text)])
        bound: dict[str, Callable[[object], Callable[[str], bool]]] = {
            "decodes_to_secret": lambda kind: (decoded.base64 if kind == "base64"
                                               else decoded.percent_decodes),
        }
        self._compiled = [
            CompiledRule(rule, i, policy.timeout, extra_allow,
                         accept_key if rule.id == SENSITIVE_KEY_RULE_ID else None, bound,
                         decoded.percent_spans
                         if ("decodes_to_secret", "percent") in rule.validators else None)
            for i, rule in enumerate(active)]
        self.rules: tuple[Rule, ...] = tuple(active)
        self._prefilter = _choose_prefilter(policy, self._compiled)
        self.engine_name: str = self._prefilter.name
        self._engine = Engine(self._compiled, self._prefilter)
        key = resolve_hash_key(policy.hash_key)
        operators = [build_operator(policy.operator_for(rule), key) for rule in active]
        ids = [rule.id for rule in active]
        timeout_placeholder = placeholder(TIMEOUT_ID).encode()

        placeholders = [placeholder(rule_id).encode() for rule_id in ids]

        def replace(rid: int, value: bytes) -> bytes:
            if rid == TIMEOUT:
                return timeout_placeholder
            if b"\n" not in value:
                return operators[rid](ids[rid], value)
            # A line in is a line out: a span over several lines (a PEM block) keeps its line
            # breaks; the operator renders the first line, a placeholder stands for each other.
            first = operators[rid](ids[rid], value[:value.index(b"\n")] or value)
            return b"\n".join([first] + [placeholders[rid]] * value.count(b"\n"))

        self._replace = replace
        self._objects = self._object_redactor(ids, policy)

    def _object_redactor(self, ids: list[str], policy: Policy) -> ObjectRedactor:
        index = {rule_id: i for i, rule_id in enumerate(ids)}

        def value_operator(rule_id: str) -> Callable[[str], str] | None:
            i = index.get(rule_id)
            if i is None:
                return None

            def apply(value: str) -> str:
                raw = value.encode("utf-8", _STR_ERRORS)
                return self._replace(i, raw).decode("utf-8", _STR_ERRORS)

            return apply

        key_rule = index.get(SENSITIVE_KEY_RULE_ID)
        drop = key_rule is not None and policy.operator_for(self.rules[key_rule]).name == "drop"
        return ObjectRedactor(redact_text=self.redact, keys=self._keys,
                              key_value=value_operator(SENSITIVE_KEY_RULE_ID), drop_keys=drop,
                              secret_value=value_operator(SECRET_DATA_RULE_ID))

    def redact_obj(self, obj: _O) -> _O:
        """A redacted copy of Python data (dicts, lists, str, numbers: a parsed JSON tool result,
        a Kubernetes object from the API client).  Key-aware, Kubernetes-aware, recursing into
        strings that are JSON or YAML.  The input is never mutated."""
        return self._objects.redact(obj)  # type: ignore[no-any-return]

    # ------------------------------------------------------------------ helpers

    def warm_up(self) -> None:
        """Compile every rule's exact pattern now rather than on its first candidate line (the
        CLI does this on a second thread while the first one reads and scans)."""
        for rule in self._compiled:
            rule.pattern  # noqa: B018 - the property compiles and publishes the pattern

    def rule_id(self, index: int) -> str:
        return TIMEOUT_ID if index == TIMEOUT else self._compiled[index].id

    def category(self, index: int) -> str:
        return "error" if index == TIMEOUT else self._compiled[index].category

    def streamer(self, on_span: OnSpan | None = None, text_format: str = "auto") -> ByteStreamer:
        """A low-level incremental byte redactor (one per stream).  ``on_span(rule_index,
        start, end)`` is called for every redacted span (absolute byte offsets).

        ``text_format``: ``auto`` (rules, and JSON lines the spans would break are redacted
        structurally), ``text`` (rules only), ``json`` (every JSON line redacted structurally).
        """
        if text_format not in ("auto", "text", "json"):
            raise PolicyError("text_format must be 'auto', 'text' or 'json'")
        return ByteStreamer(self._engine, self._replace, max_line=self.policy.max_line,
                            overlap=self.policy.overlap, on_span=on_span,
                            fix_line=None if text_format == "text" else self._fix_json_line,
                            json_lines=text_format == "json")

    def _fix_json_line(self, line: bytes) -> bytes | None:
        """A JSON log line redacted structurally (keys and their order kept)."""
        try:
            obj = json.loads(line)
        except ValueError:
            return None
        text = line.decode("utf-8", "surrogateescape")
        redacted = self._objects.redact(obj)
        if redacted == obj:
            return None
        return json.dumps(redacted, ensure_ascii=False, separators=_separators(text)).encode(
            "utf-8", "surrogateescape")

    def _run(self, data: bytes, on_span: OnSpan | None = None) -> bytes:
        streamer = self.streamer(on_span)
        head = streamer.feed(data)
        return head + streamer.close()

    # ------------------------------------------------------------------ whole inputs

    def redact(self, text: str) -> str:
        """``text`` with every finding replaced by its operator's output."""
        return self._run(text.encode("utf-8", _STR_ERRORS)).decode("utf-8", _STR_ERRORS)

    def redact_bytes(self, data: bytes) -> bytes:
        """Like :meth:`redact`; bytes outside findings (invalid UTF-8 included) are preserved
        byte for byte."""
        return self._run(bytes(data))

    def redact_with_findings(self, text: str) -> tuple[str, list[Finding]]:
        data = text.encode("utf-8", _STR_ERRORS)
        raw: list[tuple[int, int, int]] = []
        out = self._run(data, lambda rid, s, e: raw.append((rid, s, e)))
        return out.decode("utf-8", _STR_ERRORS), self._findings(raw, data, text)

    def scan(self, text: str) -> list[Finding]:
        """What :meth:`redact` would redact: rule ids and character offsets, never values."""
        return self.redact_with_findings(text)[1]

    def scan_bytes(self, data: bytes) -> list[Finding]:
        """Like :meth:`scan`, with byte offsets."""
        raw: list[tuple[int, int, int]] = []
        self._run(bytes(data), lambda rid, s, e: raw.append((rid, s, e)))
        return [Finding(self.rule_id(r), self.category(r), s, e) for r, s, e in raw]

    def _findings(self, raw: list[tuple[int, int, int]], data: bytes, text: str) -> list[Finding]:
        convert: Callable[[int], int]
        if text.isascii():
            def convert(i: int) -> int:
                return i
        else:
            def convert(i: int) -> int:
                return len(data[:i].decode("utf-8", _STR_ERRORS))
        return [Finding(self.rule_id(r), self.category(r), convert(s), convert(e))
                for r, s, e in raw]

    # ------------------------------------------------------------------ streams

    @overload
    def stream(self, chunks: Iterable[str]) -> Iterator[str]: ...
    @overload
    def stream(self, chunks: Iterable[bytes]) -> Iterator[bytes]: ...

    def stream(self, chunks: Iterable[str] | Iterable[bytes]) -> Iterator[str] | Iterator[bytes]:
        """Redact an iterable of ``str`` or ``bytes`` chunks of any size.  The concatenated
        output equals redacting the concatenated input at once; output is yielded as soon as
        it is settled (line by line for line-by-line input)."""
        streamer = self.streamer()
        decoder: codecs.IncrementalDecoder | None = None
        for chunk in chunks:
            if isinstance(chunk, str):
                if decoder is None:
                    decoder = codecs.getincrementaldecoder("utf-8")(_STR_ERRORS)
                out = decoder.decode(streamer.feed(chunk.encode("utf-8", _STR_ERRORS)))
            else:
                out = streamer.feed(bytes(chunk))  # type: ignore[assignment]
            if out:
                yield out
        tail = streamer.close()
        if decoder is not None:
            final = decoder.decode(tail, final=True)
            if final:
                yield final
        elif tail:
            yield tail

    async def astream(self, chunks: AsyncIterable[_T]) -> AsyncIterator[_T]:
        """Asynchronous :meth:`stream`."""
        streamer = self.streamer()
        decoder = codecs.getincrementaldecoder("utf-8")(_STR_ERRORS)
        text_mode: bool | None = None
        async for chunk in chunks:
            text_mode = isinstance(chunk, str)
            data = chunk.encode("utf-8", _STR_ERRORS) if isinstance(chunk, str) else bytes(chunk)
            out = streamer.feed(data)
            if out:
                yield decoder.decode(out) if text_mode else out  # type: ignore[misc]
        tail = streamer.close()
        if text_mode:
            final = decoder.decode(tail, final=True)
            if final:
                yield final  # type: ignore[misc]
        elif tail:
            yield tail  # type: ignore[misc]


def builtin_rules(sensitive_keys: Iterable[str] = ()) -> list[Rule]:
    """Every built-in rule: the packs in ``rules/`` and the generated ones (the key-aware
    ``sensitive-key-value`` rule, built from the sensitive key names, and the encoded-secret
    rules)."""
    keys = SensitiveKeys(extra=sensitive_keys)
    extra_words = [w for w in (split_key(name) for name in sensitive_keys) if w]
    return [*load_packs(builtin_pack_paths()), sensitive_key_rule(keys, extra_words),
            *encoded_rules()]


def _user_allowlist(policy: Policy) -> Callable[[str], bool] | None:
    values = policy.allow_values
    try:
        patterns = [regex.compile(p, PATTERN_FLAGS) for p in policy.allow_patterns]
    except regex.error as exc:
        raise PolicyError(f"invalid allow pattern: {exc}") from None
    if not values and not patterns:
        return None

    def allowed(value: str) -> bool:
        return value in values or any(p.search(value) for p in patterns)

    return allowed


def _choose_prefilter(policy: Policy, rules: list[CompiledRule]) -> Prefilter:
    if policy.engine == "regex":
        return KeywordPrefilter(rules)
    if hyperscan_available():
        return HyperscanPrefilter(rules, threads=policy.scan_threads)
    if policy.engine == "hyperscan":
        raise PolicyError("engine='hyperscan' but the hyperscan package is not installed")
    return KeywordPrefilter(rules)


@lru_cache(maxsize=1)
def default_redactor() -> Redactor:
    """The shared default :class:`Redactor` (built-in rules, default policy)."""
    return Redactor()


def redact(text: str) -> str:
    """Redact ``text`` with the default policy."""
    return default_redactor().redact(text)


def scan(text: str) -> list[Finding]:
    """Findings in ``text`` with the default policy (ids and offsets, never values)."""
    return default_redactor().scan(text)
