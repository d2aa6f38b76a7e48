"""The engine: prefilter parity, keyword gating, overlap policy, multiline rules, fail-closed
timeouts."""

from __future__ import annotations

import pytest

from k8s_redact import Policy, Redactor, RulePackError
from k8s_redact._loader import parse_pack_text
from k8s_redact._prefilter import hyperscan_available

from .corpus import MINI_PACK, PLAIN_LINES, canaries

needs_hyperscan = pytest.mark.skipif(not hyperscan_available(), reason="hyperscan not installed")


def _mini(**kwargs: object) -> Redactor:
    return Redactor(Policy(builtin_rules=False, rule_packs=(MINI_PACK,), **kwargs))  # type: ignore[arg-type]


class TestPrefilterParity:
    @needs_hyperscan
    def test_canaries_and_plain_lines_identical(self, redactor: Redactor,
                                                regex_redactor: Redactor) -> None:
        """Hyperscan and the keyword fallback give identical output on every canary line."""
        assert redactor.engine_name == "hyperscan"
        assert regex_redactor.engine_name == "keywords"
        text = "\n".join([c.line for c in canaries()] + PLAIN_LINES)
        assert redactor.redact(text) == regex_redactor.redact(text)

    @needs_hyperscan
    def test_every_rule_example_identical(self, redactor: Redactor,
                                          regex_redactor: Redactor) -> None:
        """Every example of every rule gives the same output through both prefilters."""
        for rule in redactor.rules:
            for text in [p.text for p in rule.positives] + list(rule.negatives):
                assert redactor.redact(text) == regex_redactor.redact(text), rule.id

    @needs_hyperscan
    def test_every_builtin_rule_compiles_in_hyperscan(self, redactor: Redactor) -> None:
        """No built-in rule silently degrades to running on every line."""
        modes = redactor._prefilter.modes  # type: ignore[attr-defined]
        assert "always" not in modes.values(), sorted(k for k, v in modes.items() if v == "always")


class TestKeywordGate:
    def test_rule_needs_keyword(self) -> None:
        """A pattern match on a line without any of the rule's keywords is not a finding."""
        rules = parse_pack_text("""
rules:
  - id: gated
    category: secret
    description: d
    keywords: [magic]
    pattern: 'z{5}'
    examples:
      positive: [{text: magic zzzzz, secret: zzzzz}, {text: MAGIC zzzzz, secret: zzzzz}]
      negative: [zzzzz, magi zzzzz]
""")
        for engine in ("regex", "auto"):
            r = Redactor(Policy(builtin_rules=False, engine=engine), rules=rules)  # type: ignore[arg-type]
            assert r.redact("zzzzz\nMaGiC zzzzz") == "zzzzz\nMaGiC [REDACTED:gated]"


class TestOverlapPolicy:
    def test_union_and_label(self) -> None:
        """Overlapping spans merge into their union, labelled by the earliest-starting span."""
        r = _mini()
        out = r.redact("key=tok_abcdefghijklmnopqrstuvwx!!")
        # test-wide covers 'tok_...!!' (starts at the same place, longer) and wins the label.
        assert out == "key=[REDACTED:test-wide]"

    def test_deterministic(self) -> None:
        """Same input and rules, same output, every run and every engine."""
        text = "a key=tok_abcdefghijklmnopqrstuvwx 1234-5678 tok_ABCDEFGHIJKLMNOPQRSTUVWX\n" * 20
        outs = {_mini(engine=e).redact(text) for e in ("regex", "auto") for _ in range(3)}
        assert len(outs) == 1

    def test_touching_spans_stay_separate(self) -> None:
        """Adjacent (touching) findings keep their own placeholders."""
        r = _mini()
        assert r.redact("1234-5678") == "[REDACTED:test-digits]"
        assert r.scan("1234-5678 1234-5678")[1].start == 10


class TestMultiline:
    def test_block_across_lines(self) -> None:
        """A multiline rule spans lines; each line of the span gets a placeholder."""
        out = _mini().redact("a\nBEGIN SECRET\nxyz\nEND SECRET\nb\n")
        assert out == "a\n[REDACTED:test-block]\n[REDACTED:test-block]\n[REDACTED:test-block]\nb\n"

    def test_block_split_across_chunks(self) -> None:
        """A block whose END arrives in a later chunk is still caught."""
        r = _mini()
        chunks = ["a\nBEGIN SEC", "RET\nxyz\n", "END SECRET\nb\n"]
        assert "".join(r.stream(chunks)) == r.redact("".join(chunks))
        assert "xyz" not in "".join(r.stream(chunks))


class TestCategories:
    def test_network_off_by_default(self) -> None:
        """IP addresses (network) pass unless enabled; then they are redacted."""
        assert _mini().redact("from 10.0.0.1") == "from 10.0.0.1"
        assert _mini(enable=frozenset({"network"})).redact("from 10.0.0.1") == "from [REDACTED:test-ip]"

    def test_disable_rule(self) -> None:
        """A disabled rule no longer fires; disable wins over enable."""
        r = _mini(disable=frozenset({"test-token"}), enable=frozenset({"test-token"}))
        assert "tok_abcdefghijklmnopqrstuvwx" in r.redact("tok_abcdefghijklmnopqrstuvwx")


class TestFailClosed:
    def test_timeout_redacts_whole_line(self) -> None:
        """A pattern that times out redacts its whole line and is counted, never passed raw."""
        rules = parse_pack_text(r"""
rules:
  - id: slow
    category: secret
    description: catastrophic backtracking on purpose
    keywords: [slow]
    pattern: 'slow(?:(?:a|aa)+)+b'
    examples:
      positive: [{text: slowab, secret: slowab}, {text: slowaab, secret: slowaab}]
      negative: [slo, fast]
""")
        # The keyword prefilter sends the line to the pattern (Hyperscan would prove "no match").
        r = Redactor(Policy(builtin_rules=False, timeout=0.01, engine="regex"), rules=rules)
        line = "slow" + "a" * 60 + " secret-value"
        out, findings = r.redact_with_findings("ok\n" + line + "\nok")
        assert out == "ok\n[REDACTED:timeout]\nok"
        assert [f.rule_id for f in findings] == ["timeout"]


class TestBadPacks:
    @pytest.mark.parametrize(("snippet", "field", "needle"), [
        ("id: Bad_Id", "id", "kebab-case"),
        ("pattern: '(unclosed'", "pattern", "invalid regular expression"),
        ("keywords: [UPPER]", "keywords", "lower-case"),
        ("validators: {luhnn: true}", "validators", "unknown validator"),
        ("validators: {entropy: 12}", "validators", "entropy"),
        ("secret_group: nope", "secret_group", "no group"),
        ("colour: red", "colour", "unknown field"),
        ("operator: scramble", "operator", "one of"),
    ])
    def test_clear_error(self, snippet: str, field: str, needle: str) -> None:
        """A bad rule names the file, the rule id and the field, and says why."""
        base = {
            "id": "id: good-rule", "pattern": "pattern: 'ab+c'", "keywords": "keywords: [ab]",
        }
        key = snippet.split(":")[0]
        lines = [base.get(k, "") for k in ("id", "pattern", "keywords") if k != key]
        body = "\n    ".join([*lines, snippet, "category: secret", "description: d",
                              "examples: {positive: [{text: abc, secret: abc}, {text: abbc, secret: abbc}], negative: [ac, xyz]}"])
        with pytest.raises(RulePackError) as info:
            parse_pack_text(f"rules:\n  - {body}\n", source="my-pack.yaml")
        message = str(info.value)
        assert message.startswith("my-pack.yaml")
        assert f"field {field!r}" in message and needle in message

    def test_too_few_examples(self) -> None:
        """Rules without two positive and two negative examples are refused."""
        with pytest.raises(RulePackError, match=r"examples\.negative"):
            parse_pack_text("""
rules:
  - {id: r, category: secret, description: d, pattern: x+,
     examples: {positive: [{text: x, secret: x}, {text: xx, secret: xx}], negative: [y]}}
""")

    def test_unreadable_and_malformed(self, tmp_path: object) -> None:
        """Missing files and broken YAML are clear errors too."""
        from pathlib import Path

        path = Path(str(tmp_path)) / "broken.yaml"
        path.write_text("rules: [\n  - id: x\n")
        with pytest.raises(RulePackError, match="not valid YAML at line"):
            Redactor(Policy(builtin_rules=False, rule_packs=(path,)))
        with pytest.raises(RulePackError, match="cannot read"):
            Redactor(Policy(builtin_rules=False, rule_packs=(Path(str(tmp_path)) / "nope.yaml",)))


class TestJsonGuard:
    def test_json_line_stays_valid(self) -> None:
        """A text span that would eat a JSON quote makes the line go the structural way."""
        import json

        r = _mini()
        line = '{"a":"key=abcdefgh","b":1,"c":[1,2]}'
        out = r.redact(f"{line}\n2024-05-01T00:00:00Z stdout F {line}\nplain key=abcdefghij x\n")
        first, cri, plain, _ = out.split("\n")
        assert json.loads(first) == {"a": "key=[REDACTED:test-wide]", "b": 1, "c": [1, 2]}
        assert cri == "2024-05-01T00:00:00Z stdout F " + first
        assert plain == "plain key=[REDACTED:test-wide] x"

    def test_untouched_json_lines_byte_identical(self) -> None:
        """JSON lines without findings come out byte for byte, spacing included."""
        r = _mini()
        text = '{ "b" : 1 ,  "a":"x" }\n{"z":"\\u00e9"}\n'
        assert r.redact(text) == text

    def test_structure_overrules_syntax_spans(self) -> None:
        """When text spans break a JSON line but its structure holds nothing to redact (a
        number under a secret-named key), the line stays as it was and no finding is reported."""
        r = Redactor()
        assert r.redact('{"secret": -100}') == '{"secret": -100}'
        assert r.scan('{"secret": -100}') == []
