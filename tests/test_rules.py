"""Every built-in rule: its own examples, in every context, through both prefilters."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8s_redact._docgen import rules_markdown
from k8s_redact._prefilter import hyperscan_available
from k8s_redact._redactor import builtin_rules
from k8s_redact._ruletest import check_rule

RULES = builtin_rules()
ENGINES = ["regex", "hyperscan"] if hyperscan_available() else ["regex"]


class TestBuiltinPacks:
    def test_at_least_120_rules(self) -> None:
        """The first cut promises at least 120 rules."""
        assert len(RULES) >= 120

    def test_examples_per_rule(self) -> None:
        """Every rule carries >= 2 positive and >= 2 negative examples."""
        thin = [r.id for r in RULES if len(r.positives) < 2 or len(r.negatives) < 2]
        assert not thin

    def test_categories(self) -> None:
        """Secrets and PII are both covered; IP addresses sit in the network category."""
        categories = {r.category for r in RULES}
        assert {"secret", "pii", "network"} <= categories

    def test_docs_rules_md_is_fresh(self) -> None:
        """docs/rules.md is generated from the packs (k8s-redact rules doc > docs/rules.md)."""
        doc = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
        assert doc.read_text() == rules_markdown(RULES)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_examples(rule: object, engine: str) -> None:
    """The rule's positives are redacted exactly and its negatives untouched, in every context."""
    report = check_rule(rule, engine)  # type: ignore[arg-type]
    assert not report.failures, "\n".join(map(str, report.failures))
