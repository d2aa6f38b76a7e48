"""Render the list of built-in rules as Markdown (``docs/rules.md``; a test keeps it fresh)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ._model import Rule
from ._policy import OFF_BY_DEFAULT


def rules_markdown(rules: Sequence[Rule]) -> str:
    lines = [
        "# Built-in rules",
        "",
        "Generated from `rules/*.yaml` and the code-generated rules by",
        "`k8s-redact rules doc > docs/rules.md`; a test fails when this file is stale. Rules of",
        "the categories "
        + ", ".join(f"`{c}`" for c in sorted(OFF_BY_DEFAULT))
        + " are off by default (`--enable network`).",
        "",
        f"{len(rules)} rules.",
        "",
    ]
    by_pack: dict[str, list[Rule]] = {}
    for rule in rules:
        pack = Path(rule.source).stem if rule.source.endswith(".yaml") else "generated"
        by_pack.setdefault(pack, []).append(rule)
    for pack, members in by_pack.items():
        lines += [f"## {pack} ({len(members)})", "", "| id | category | on | keywords | description |",
                  "|---|---|---|---|---|"]
        for rule in members:
            on = "yes" if rule.enabled and rule.category not in OFF_BY_DEFAULT else "no"
            keywords = ", ".join(f"`{k}`" for k in rule.keywords) or "(none)"
            description = rule.description.replace("|", "\\|")
            lines.append(f"| `{rule.id}` | {rule.category} | {on} | {keywords} | {description} |")
        lines.append("")
    return "\n".join(lines)
