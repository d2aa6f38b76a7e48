"""Rules made ready to run: keyword bytes, validators and allowlists built once; the exact
``regex`` pattern compiled lazily on a rule's first candidate line (most rules never fire on a
given stream, so a cold start pays for none of them)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping

import regex

from ._filters import is_false_positive
from ._loader import PATTERN_FLAGS
from ._model import Rule
from ._validators import Validator, build_validator

_compile_lock = threading.Lock()


class CompiledRule:
    """One rule, ready for the engine.  Immutable after construction except for the lazily
    compiled pattern, which is published atomically (compiling twice is harmless)."""

    __slots__ = (
        "_accept",
        "_pattern",
        "_refine",
        "_rejects",
        "category",
        "group",
        "id",
        "index",
        "keywords",
        "max_span",
        "multiline",
        "priority",
        "rule",
        "timeout",
    )

    def __init__(self, rule: Rule, index: int, timeout: float,
                 extra_allow: Callable[[str], bool] | None = None,
                 accept: Callable[[regex.Match[str]], bool] | None = None,
                 bound_validators: Mapping[str, Callable[[object], Validator]] | None = None,
                 refine: Callable[[str], list[tuple[int, int]]] | None = None) -> None:
        self.rule = rule
        self._accept = accept
        self._refine = refine
        self.id = rule.id
        self.category = rule.category
        self.index = index
        self.priority = rule.priority
        self.multiline = rule.multiline
        self.max_span = rule.max_span
        self.timeout = timeout
        self.keywords: tuple[bytes, ...] = tuple(k.encode() for k in rule.keywords)
        self._pattern: regex.Pattern[str] | None = None
        self.group: int | str = rule.secret_group if rule.secret_group is not None else 0
        bound = bound_validators or {}
        validators: list[Validator] = [
            bound[n](a) if n in bound else build_validator(n, a) for n, a in rule.validators]
        allow_values = rule.allowlist.values
        stopwords = rule.allowlist.stopwords
        allow_patterns = [regex.compile(p, PATTERN_FLAGS) for p in rule.allowlist.patterns]

        def rejects(value: str) -> bool:
            if value in allow_values or is_false_positive(value):
                return True
            if stopwords:
                lowered = value.lower()
                if any(w in lowered for w in stopwords):
                    return True
            if any(p.search(value) for p in allow_patterns):
                return True
            if extra_allow is not None and extra_allow(value):
                return True
            return not all(v(value) for v in validators)

        self._rejects = rejects

    @property
    def pattern(self) -> regex.Pattern[str]:
        compiled = self._pattern
        if compiled is None:
            with _compile_lock:
                compiled = self._pattern
                if compiled is None:
                    compiled = regex.compile(self.rule.pattern, PATTERN_FLAGS)
                    if self.rule.secret_group is None and "secret" in compiled.groupindex:
                        self.group = "secret"
                    self._pattern = compiled
        return compiled

    def has_keyword(self, lowered_line: bytes) -> bool:
        """Gitleaks' gate: a rule with keywords fires only where one of them occurs."""
        keywords = self.keywords
        return not keywords or any(k in lowered_line for k in keywords)

    def spans(self, text: str, limit: int | None = None) -> list[tuple[int, int]]:
        """Character spans of accepted secrets in ``text``.  With ``limit``, only matches that
        start before it count.  Raises ``TimeoutError`` when the pattern runs too long."""
        pattern = self.pattern
        group = self.group
        found: list[tuple[int, int]] = []
        for match in pattern.finditer(text, timeout=self.timeout):
            if limit is not None and match.start() >= limit:
                break
            if self._accept is not None and not self._accept(match):
                continue
            # A repeated group (``(?:key: (?P<secret>...)\n)+``) yields every capture.
            for start, end in match.spans(group):
                if start < 0 or start == end or self._rejects(text[start:end]):
                    continue
                if self._refine is not None:
                    # Only the parts of the value that hold the secret (an encoded value's
                    # decoded findings, mapped back).
                    found.extend((start + s, start + e) for s, e in self._refine(text[start:end]))
                    continue
                found.append((start, end))
        return found
