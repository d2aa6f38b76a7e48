"""Run the examples every rule carries, alone and inside surrounding log syntaxes.

Used by the test suite for the built-in packs and by ``k8s-redact rules test PATH`` for users'
own packs.  Reports name the rule, the example's index and the context, never the example's
secret.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from ._model import CONTEXTS, Rule
from ._policy import Policy
from ._redactor import Redactor

Frame = tuple[str, str, Callable[[str], str]]  # prefix, suffix, how the context encodes text


def _json_escape(text: str) -> str:
    return json.dumps(text)[1:-1]


def _quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _query(text: str) -> str:
    return quote(text, safe="/:=+@,;.-_~!$'()*[]")


def _yaml_block(text: str) -> str:
    return text.replace("\n", "\n    ")


FRAMES: dict[str, Frame] = {
    "raw": ("", "", lambda t: t),
    "json": ('{"ts":"2024-05-01T12:00:00.123Z","level":"info","pod":"web-7d9f8b6c5-x2x9q",'
             '"msg":"', '","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}', _json_escape),
    "logfmt": ('ts=2024-05-01T12:00:00Z level=info pod=web-7d9f8b6c5-x2x9q msg="',
               '" span_id=00f067aa0ba902b7', _quoted),
    "yaml": ("data:\n  message: |\n    ", "\n  uid: 6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f",
             _yaml_block),
    "env": ('APP_DEBUG_LINE="', '"\nHOSTNAME=web-7d9f8b6c5-x2x9q', _quoted),
    "query": ("GET /api/v1/items?trace=4bf92f3577b34da6a3ce929d0e0e4736&q=", " HTTP/1.1", _query),
    "header": ("X-Debug-Info: ", "\r\nX-Request-Id: 6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f", lambda t: t),
}
assert set(FRAMES) == set(CONTEXTS)


@dataclass(frozen=True)
class Failure:
    rule_id: str
    example: str  # "positive[0]" / "negative[1]"
    context: str
    problem: str

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.example} in {self.context}: {self.problem}"


@dataclass(frozen=True)
class RuleReport:
    rule_id: str
    checks: int
    failures: tuple[Failure, ...]


def _isolated(rule: Rule, engine: str) -> Redactor:
    if any(name == "decodes_to_secret" for name, _ in rule.validators):
        # A decoding rule finds secrets through the other rules: test it among the built-ins.
        from ._redactor import builtin_rules

        others = [r for r in builtin_rules() if r.id != rule.id]
        policy = Policy(builtin_rules=False, enable=frozenset({rule.id}), engine=engine)  # type: ignore[arg-type]
        return Redactor(policy, rules=[*others, rule])
    policy = Policy(builtin_rules=False, enable=frozenset({rule.id}), engine=engine)  # type: ignore[arg-type]
    return Redactor(policy, rules=[rule])


def check_rule(rule: Rule, engine: str = "regex") -> RuleReport:
    """Replay every example of ``rule`` with only that rule enabled."""
    redactor = _isolated(rule, engine)
    failures: list[Failure] = []
    checks = 0
    for i, example in enumerate(rule.positives):
        name = f"positive[{i}]"
        checks += 1
        findings = redactor.scan(example.text)
        found = sorted(example.text[f.start:f.end] for f in findings)
        if found != sorted(example.secrets):
            if not findings:
                problem = "nothing redacted"
            else:
                problem = (f"redacted {len(findings)} span(s) of lengths "
                           f"{[f.end - f.start for f in findings]}, expected lengths "
                           f"{[len(s) for s in example.secrets]}")
            failures.append(Failure(rule.id, name, "raw", problem))
        for context in CONTEXTS[1:]:
            if context in rule.skip_contexts:
                continue
            if "\n" in example.text and context in ("query", "header", "env"):
                continue
            checks += 1
            prefix, suffix, encode = FRAMES[context]
            framed = prefix + encode(example.text) + suffix
            out = redactor.redact(framed)
            leaked = [s for s in example.secrets if encode(s) in out]
            if leaked:
                failures.append(Failure(rule.id, name, context, "secret survived"))
            elif not (out.startswith(prefix) and out.endswith(suffix)):
                failures.append(Failure(rule.id, name, context, "damaged the surrounding syntax"))
    for i, text in enumerate(rule.negatives):
        name = f"negative[{i}]"
        for context in CONTEXTS:
            if context in rule.skip_contexts and context != "raw":
                continue
            if "\n" in text and context in ("query", "header", "env"):
                continue
            checks += 1
            prefix, suffix, encode = FRAMES[context]
            framed = prefix + encode(text) + suffix
            if redactor.redact(framed) != framed:
                failures.append(Failure(rule.id, name, context, "was altered"))
    return RuleReport(rule.id, checks, tuple(failures))


def check_rules(rules: Sequence[Rule], engine: str = "regex") -> list[RuleReport]:
    return [check_rule(rule, engine) for rule in rules]
