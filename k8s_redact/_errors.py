"""Exceptions raised by k8s-redact.  Messages never contain a matched value."""

from __future__ import annotations


class K8sRedactError(Exception):
    """Base class of every error k8s-redact raises on purpose."""


class RulePackError(K8sRedactError):
    """A rule pack is invalid: names the file, the rule id and the field, and says why."""

    def __init__(self, source: str, reason: str, *, rule_id: str | None = None,
                 field: str | None = None) -> None:
        self.source = source
        self.rule_id = rule_id
        self.field = field
        self.reason = reason
        where = source
        if rule_id is not None:
            where += f": rule {rule_id!r}"
        if field is not None:
            where += f": field {field!r}"
        super().__init__(f"{where}: {reason}")


class PolicyError(K8sRedactError):
    """The redaction policy is inconsistent (unknown rule or category, missing hash key, ...)."""


class MissingExtraError(K8sRedactError, ImportError):
    """An optional dependency is needed: says which extra to install."""

    def __init__(self, feature: str, extra: str) -> None:
        super().__init__(f"{feature} needs optional dependencies: pip install 'k8s-redact[{extra}]'")
