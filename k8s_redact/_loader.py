"""Load and validate rule packs (YAML data files).

A pack is validated completely before anything starts: every problem is reported as a
:class:`RulePackError` naming the file, the rule id and the field.  Validated packs are cached by
content hash, so a cold start does not recompile every pattern (see ``_cache``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import regex

from . import _cache
from ._errors import RulePackError
from ._model import CONTEXTS, Allowlist, PositiveExample, Rule
from ._operators import OPERATOR_NAMES
from ._validators import VALIDATORS

#: Bumped whenever validation rules change, so stale cache entries are not trusted.
LOADER_VERSION = "4"
#: Flags every rule pattern is compiled with: ASCII classes, as the Hyperscan prefilter uses.
PATTERN_FLAGS = regex.ASCII | regex.VERSION0

_ID = regex.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CATEGORY = regex.compile(r"^[a-z][a-z0-9-]*$")
_RULE_FIELDS = frozenset({
    "id", "category", "description", "pattern", "keywords", "secret_group", "validators",
    "allowlist", "examples", "skip_contexts", "priority", "multiline", "max_span", "enabled",
    "operator", "prefilter",
})
_PACK_FIELDS = frozenset({"pack", "description", "allowlist", "rules"})
_ALLOW_FIELDS = frozenset({"values", "patterns", "stopwords"})


def _yaml_load(data: str | bytes) -> Any:
    """PyYAML's safe loader (the C one when available), imported only on a cache miss."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(data, Loader=loader)


def builtin_rules_dir() -> Path:
    """The packs shipped in the wheel (``k8s_redact/rules``), or the checkout's ``rules/``."""
    here = Path(__file__).resolve().parent
    packaged = here / "rules"
    return packaged if packaged.is_dir() else here.parent / "rules"


def builtin_pack_paths() -> list[Path]:
    return sorted(builtin_rules_dir().glob("*.yaml"))


def load_packs(paths: Iterable[str | Path]) -> list[Rule]:
    """Load every pack; rule ids must be unique across all of them."""
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path in paths:
        for rule in load_pack(path):
            if rule.id in seen:
                raise RulePackError(rule.source, f"duplicate rule id (also in {seen[rule.id]})",
                                    rule_id=rule.id, field="id")
            seen[rule.id] = rule.source
            rules.append(rule)
    return rules


def load_pack(path: str | Path) -> list[Rule]:
    p = Path(path)
    source = str(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise RulePackError(source, f"cannot read rule pack: {exc.strerror or exc}") from None
    cache_name = "pack-" + _cache.key(LOADER_VERSION, regex.__version__, raw) + ".json"
    cached = _cache.read(cache_name)
    if cached is not None:
        try:
            data = json.loads(cached)
            return _build_pack(data, source, check=False)
        except (ValueError, KeyError, TypeError, RulePackError):
            pass  # a damaged cache entry: validate from scratch
    import yaml

    try:
        data = _yaml_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "malformed YAML"
        raise RulePackError(source, f"not valid YAML{where}: {problem}") from None
    rules = _build_pack(data, source, check=True)
    _cache.write(cache_name, json.dumps(data, ensure_ascii=True).encode())
    return rules


def parse_pack_text(text: str, source: str = "<string>") -> list[Rule]:
    """Validate a pack given as YAML text (used by tests and ``rules test``)."""
    import yaml

    try:
        data = _yaml_load(text)
    except yaml.YAMLError as exc:
        raise RulePackError(source, f"not valid YAML: {exc}") from None
    return _build_pack(data, source, check=True)


# --------------------------------------------------------------------------- validation


def _build_pack(data: Any, source: str, *, check: bool) -> list[Rule]:
    if not isinstance(data, Mapping):
        raise RulePackError(source, "a rule pack is a mapping with a 'rules' list")
    unknown = set(data) - _PACK_FIELDS
    if unknown:
        raise RulePackError(source, f"unknown top-level field(s): {', '.join(sorted(map(str, unknown)))}")
    rules_data = data.get("rules")
    if not isinstance(rules_data, list) or not rules_data:
        raise RulePackError(source, "'rules' must be a non-empty list", field="rules")
    pack_allow = _allowlist(data.get("allowlist"), source, None, check)
    rules = []
    ids: set[str] = set()
    for index, entry in enumerate(rules_data):
        rule = _build_rule(entry, source, index, pack_allow, check)
        if rule.id in ids:
            raise RulePackError(source, "duplicate rule id", rule_id=rule.id, field="id")
        ids.add(rule.id)
        rules.append(rule)
    return rules


def _build_rule(entry: Any, source: str, index: int, pack_allow: Allowlist, check: bool) -> Rule:
    if not isinstance(entry, Mapping):
        raise RulePackError(source, f"rule #{index + 1} is not a mapping")
    rid = entry.get("id")
    if not isinstance(rid, str) or not _ID.match(rid):
        raise RulePackError(source, f"rule #{index + 1}: 'id' must be kebab-case "
                            "(lower-case letters, digits, single dashes)",
                            rule_id=rid if isinstance(rid, str) else None, field="id")

    def fail(field: str, reason: str) -> RulePackError:
        return RulePackError(source, reason, rule_id=rid, field=field)

    unknown = set(entry) - _RULE_FIELDS
    if unknown:
        name = sorted(map(str, unknown))[0]
        raise fail(name, f"unknown field (allowed: {', '.join(sorted(_RULE_FIELDS))})")
    category = entry.get("category")
    if not isinstance(category, str) or not _CATEGORY.match(category):
        raise fail("category", "required; a lower-case word such as secret, pii or network")
    description = entry.get("description")
    if not isinstance(description, str) or not description.strip():
        raise fail("description", "required; say what the rule finds")
    pattern = entry.get("pattern")
    if not isinstance(pattern, str) or not pattern:
        raise fail("pattern", "required; a regular expression")
    compiled = None
    if check:
        try:
            compiled = regex.compile(pattern, PATTERN_FLAGS)
        except regex.error as exc:
            raise fail("pattern", f"invalid regular expression: {exc}") from None
        if compiled.search(""):
            raise fail("pattern", "matches the empty string")
    keywords = _str_list(entry.get("keywords", []), fail, "keywords")
    if check:
        for kw in keywords:
            if kw != kw.lower() or not kw.strip() or not kw.isascii():
                raise fail("keywords", f"keyword {kw!r} must be non-empty lower-case ASCII")
    secret_group = entry.get("secret_group")
    if secret_group is not None:
        if isinstance(secret_group, bool) or not isinstance(secret_group, int | str):
            raise fail("secret_group", "a group number or name")
        if compiled is not None:
            valid = (secret_group <= compiled.groups if isinstance(secret_group, int)
                     else secret_group in compiled.groupindex)
            if not valid:
                raise fail("secret_group", f"pattern has no group {secret_group!r}")
    validators_raw = entry.get("validators", {}) or {}
    if not isinstance(validators_raw, Mapping):
        raise fail("validators", "a mapping of validator name to argument, e.g. {luhn: true}")
    validators: list[tuple[str, object]] = []
    for name, arg in validators_raw.items():
        if name not in VALIDATORS:
            raise fail("validators", f"unknown validator {name!r} (known: {', '.join(sorted(VALIDATORS))})")
        if check:
            try:
                VALIDATORS[name](arg)
            except ValueError as exc:
                raise fail("validators", f"{name}: {exc}") from None
        validators.append((str(name), arg))
    allow = pack_allow.merged(_allowlist(entry.get("allowlist"), source, rid, check))
    positives, negatives = _examples(entry.get("examples"), fail, check)
    skip = _str_list(entry.get("skip_contexts", []), fail, "skip_contexts")
    for ctx in skip:
        if ctx not in CONTEXTS:
            raise fail("skip_contexts", f"unknown context {ctx!r} (known: {', '.join(CONTEXTS)})")
    priority = entry.get("priority", 50)
    if isinstance(priority, bool) or not isinstance(priority, int):
        raise fail("priority", "a whole number (lower wins overlaps)")
    multiline = entry.get("multiline", False)
    enabled = entry.get("enabled", True)
    for name, value in (("multiline", multiline), ("enabled", enabled)):
        if not isinstance(value, bool):
            raise fail(name, "true or false")
    max_span = entry.get("max_span", 16384)
    if isinstance(max_span, bool) or not isinstance(max_span, int) or not 1 <= max_span <= 65536:
        raise fail("max_span", "a whole number of bytes from 1 to 65536")
    if multiline and not keywords:
        raise fail("keywords", "a multiline rule needs keywords: its match starts on a line "
                   "holding one")
    operator = entry.get("operator")
    if operator is not None and operator not in OPERATOR_NAMES:
        raise fail("operator", f"one of {', '.join(OPERATOR_NAMES)}")
    prefilter = entry.get("prefilter")
    if prefilter is not None:
        if not isinstance(prefilter, str) or not prefilter:
            raise fail("prefilter", "a regular expression (Hyperscan syntax)")
        if check:
            try:
                regex.compile(prefilter, PATTERN_FLAGS)
            except regex.error as exc:
                raise fail("prefilter", f"invalid regular expression: {exc}") from None
    return Rule(
        id=rid, category=category, description=description.strip(), pattern=pattern,
        keywords=tuple(keywords), secret_group=secret_group, validators=tuple(validators),
        allowlist=allow, positives=positives, negatives=negatives, skip_contexts=tuple(skip),
        priority=priority, multiline=multiline, max_span=max_span, enabled=enabled,
        operator=operator, prefilter=prefilter, source=source,
    )


def _str_list(value: Any, fail: Any, field: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(field, "a list of strings")
    return list(value)


def _allowlist(value: Any, source: str, rid: str | None, check: bool) -> Allowlist:
    if value is None:
        return Allowlist()
    field = "allowlist"
    if not isinstance(value, Mapping):
        raise RulePackError(source, "a mapping with values, patterns and/or stopwords",
                            rule_id=rid, field=field)
    unknown = set(value) - _ALLOW_FIELDS
    if unknown:
        raise RulePackError(source, f"unknown key(s) {sorted(map(str, unknown))}",
                            rule_id=rid, field=field)
    lists = {}
    for key in _ALLOW_FIELDS:
        items = value.get(key, []) or []
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            raise RulePackError(source, f"{key} must be a list of strings", rule_id=rid,
                                field=f"allowlist.{key}")
        lists[key] = items
    if check:
        for pat in lists["patterns"]:
            try:
                regex.compile(pat, PATTERN_FLAGS)
            except regex.error as exc:
                raise RulePackError(source, f"invalid regular expression {pat!r}: {exc}",
                                    rule_id=rid, field="allowlist.patterns") from None
    return Allowlist(values=frozenset(lists["values"]), patterns=tuple(lists["patterns"]),
                     stopwords=tuple(s.lower() for s in lists["stopwords"]))


def _examples(value: Any, fail: Any, check: bool) -> tuple[tuple[PositiveExample, ...], tuple[str, ...]]:
    if not isinstance(value, Mapping):
        raise fail("examples", "required: a mapping with 'positive' and 'negative' lists")
    positives_raw = value.get("positive")
    negatives_raw = value.get("negative")
    if not isinstance(positives_raw, list) or len(positives_raw) < 2:
        raise fail("examples.positive", "at least two positive examples are required")
    if not isinstance(negatives_raw, list) or len(negatives_raw) < 2:
        raise fail("examples.negative", "at least two negative examples are required")
    positives = []
    for i, item in enumerate(positives_raw):
        where = f"examples.positive[{i}]"
        if not isinstance(item, Mapping) or not isinstance(item.get("text"), str):
            raise fail(where, "a mapping with 'text' and 'secret' (or 'secrets')")
        secrets = item.get("secrets", item.get("secret"))
        if isinstance(secrets, str):
            secrets = [secrets]
        if not isinstance(secrets, list) or not secrets or not all(isinstance(s, str) and s for s in secrets):
            raise fail(where, "'secret' must name the exact part to be redacted")
        for s in secrets:
            if check and s not in item["text"]:
                raise fail(where, "the secret does not occur in the example text")
        positives.append(PositiveExample(item["text"], tuple(secrets)))
    if not all(isinstance(n, str) for n in negatives_raw):
        raise fail("examples.negative", "a list of strings")
    return tuple(positives), tuple(negatives_raw)
