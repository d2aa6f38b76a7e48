"""What to redact and how: the policy a :class:`~k8s_redact.Redactor` is built from."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ._errors import PolicyError
from ._model import Rule
from ._operators import OperatorSpec
from ._stream import MAX_LINE, OVERLAP

#: Categories that stay off unless enabled: observers usually need pod and node IPs.
OFF_BY_DEFAULT: frozenset[str] = frozenset({"network"})

EngineChoice = Literal["auto", "hyperscan", "regex"]


def _spec(value: OperatorSpec | str) -> OperatorSpec:
    return value if isinstance(value, OperatorSpec) else OperatorSpec(value)


@dataclass(frozen=True)
class Policy:
    """Immutable redaction policy.

    ``enable`` / ``disable`` take rule ids or category names; ``disable`` wins.  Operators are
    chosen per rule (``rule_operators``), then by the rule pack's own ``operator``, then per
    category (``category_operators``), then ``operator``.  ``sensitive_keys`` adds key names
    whose values are always redacted (``"x-vault-token"``, ``"pin"``); ``non_sensitive_keys``
    removes some.  ``scan_threads`` > 1 splits large blocks across cores for the Hyperscan scan
    (the output is identical).
    """

    rule_packs: tuple[str | Path, ...] = ()
    builtin_rules: bool = True
    enable: frozenset[str] = frozenset()
    disable: frozenset[str] = frozenset()
    operator: OperatorSpec | str = "replace"
    category_operators: Mapping[str, OperatorSpec | str] = field(default_factory=dict)
    rule_operators: Mapping[str, OperatorSpec | str] = field(default_factory=dict)
    hash_key: bytes | str | None = None
    allow_values: frozenset[str] = frozenset()
    allow_patterns: tuple[str, ...] = ()
    sensitive_keys: frozenset[str] = frozenset()
    non_sensitive_keys: frozenset[str] = frozenset()
    timeout: float = 1.0
    engine: EngineChoice = "auto"
    max_line: int = MAX_LINE
    overlap: int = OVERLAP
    scan_threads: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "rule_packs", tuple(self.rule_packs))
        object.__setattr__(self, "enable", frozenset(self.enable))
        object.__setattr__(self, "disable", frozenset(self.disable))
        object.__setattr__(self, "allow_values", frozenset(self.allow_values))
        object.__setattr__(self, "allow_patterns", tuple(self.allow_patterns))
        object.__setattr__(self, "sensitive_keys", frozenset(self.sensitive_keys))
        object.__setattr__(self, "non_sensitive_keys", frozenset(self.non_sensitive_keys))
        if self.timeout <= 0:
            raise PolicyError("timeout must be positive (seconds per pattern call)")
        if self.engine not in ("auto", "hyperscan", "regex"):
            raise PolicyError("engine must be 'auto', 'hyperscan' or 'regex'")
        if self.scan_threads < 1:
            raise PolicyError("scan_threads must be at least 1")
        if not 0 < self.overlap < self.max_line:
            raise PolicyError("overlap must be positive and smaller than max_line")

    def operator_for(self, rule: Rule) -> OperatorSpec:
        if rule.id in self.rule_operators:
            return _spec(self.rule_operators[rule.id])
        if rule.operator is not None:
            return OperatorSpec(rule.operator)
        if rule.category in self.category_operators:
            return _spec(self.category_operators[rule.category])
        return _spec(self.operator)

    def select(self, rules: Sequence[Rule]) -> list[Rule]:
        """The rules this policy turns on, in pack order."""
        known = {r.id for r in rules} | {r.category for r in rules}
        unknown = sorted((self.enable | self.disable) - known)
        if unknown:
            raise PolicyError(f"unknown rule id or category: {', '.join(unknown)}")
        for name in list(self.rule_operators) + list(self.category_operators):
            if name not in known:
                raise PolicyError(f"operator set for unknown rule id or category: {name}")
        chosen = []
        for rule in rules:
            if rule.id in self.disable or rule.category in self.disable:
                continue
            on_by_default = rule.enabled and rule.category not in OFF_BY_DEFAULT
            if on_by_default or rule.id in self.enable or rule.category in self.enable:
                chosen.append(rule)
        return chosen
