"""Plain data: rules as loaded from packs, findings as reported to callers.

Nothing here holds a matched value: a :class:`Finding` carries positions and ids only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Surrounding syntaxes a rule's examples are replayed in (see ``docs/rule-format.md``).
CONTEXTS: tuple[str, ...] = ("raw", "json", "logfmt", "yaml", "env", "query", "header")


@dataclass(frozen=True, slots=True)
class Finding:
    """One redacted span.  ``start``/``end`` index the scanned text (characters for ``str``
    input, bytes for ``bytes`` input).  Never carries the matched value."""

    rule_id: str
    category: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Allowlist:
    """Values that look like a match but are not secrets."""

    values: frozenset[str] = frozenset()
    patterns: tuple[str, ...] = ()
    stopwords: tuple[str, ...] = ()

    def merged(self, other: Allowlist) -> Allowlist:
        return Allowlist(
            values=self.values | other.values,
            patterns=self.patterns + other.patterns,
            stopwords=self.stopwords + other.stopwords,
        )


@dataclass(frozen=True, slots=True)
class PositiveExample:
    text: str
    secrets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule exactly as its pack declares it (validated, not compiled)."""

    id: str
    category: str
    description: str
    pattern: str
    keywords: tuple[str, ...] = ()
    secret_group: str | int | None = None
    validators: tuple[tuple[str, object], ...] = ()
    allowlist: Allowlist = field(default_factory=Allowlist)
    positives: tuple[PositiveExample, ...] = ()
    negatives: tuple[str, ...] = ()
    skip_contexts: tuple[str, ...] = ()
    priority: int = 50
    multiline: bool = False
    max_span: int = 16384
    enabled: bool = True
    operator: str | None = None
    prefilter: str | None = None
    source: str = "<memory>"
