"""Test helpers for users of k8s-redact (and for our own suite).

* :class:`FakeSecrets` makes realistic fake secrets for any rule: it takes the rule's own positive
  examples, re-draws every character after the rule's keyword (digits for digits, letters of the
  same case, hex stays hex) and keeps a candidate only when the rule itself accepts it, so the
  result has the real format (prefix, length, alphabet, checksum) but is not any real key.
* :func:`assert_no_leaks` fails when any of the given secrets survives in an output, naming the
  secret by index, length and a hash prefix, never by value.
"""

from __future__ import annotations

import hashlib
import random
import re
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ._model import Rule
from ._policy import Policy
from ._redactor import Redactor, default_redactor

__all__ = ["Canary", "FakeSecrets", "assert_no_leaks", "fingerprint"]

_HEX = set(string.hexdigits.lower())
_RUN = re.compile(r"[A-Za-z0-9]{8,}")


@dataclass(frozen=True)
class Canary:
    """A line holding a fake secret the rule ``rule_id`` must redact."""

    rule_id: str
    line: str
    secret: str


def fingerprint(secret: str) -> str:
    """A short, non-reversible name for a secret in test reports."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def assert_no_leaks(output: str | bytes, secrets: Iterable[str | bytes]) -> None:
    """Raise ``AssertionError`` if any secret occurs in ``output``.  The message names leaked
    secrets by position, length and hash prefix only."""
    text = output.decode("utf-8", "surrogateescape") if isinstance(output, bytes) else output
    leaks = []
    for i, secret in enumerate(secrets):
        value = secret.decode("utf-8", "surrogateescape") if isinstance(secret, bytes) else secret
        if value and value in text:
            leaks.append(f"#{i} (len {len(value)}, sha256 {fingerprint(value)})")
    if leaks:
        raise AssertionError(f"{len(leaks)} secret(s) leaked: {', '.join(leaks)}")


class FakeSecrets:
    """Generator of fake secrets per rule, deterministic for a given seed."""

    def __init__(self, redactor: Redactor | None = None, seed: int = 0, attempts: int = 300) -> None:
        self._redactor = redactor or default_redactor()
        self._rng = random.Random(seed)
        self._attempts = attempts
        self._checkers: dict[str, Redactor] = {}

    def _checker(self, rule: Rule) -> Redactor:
        checker = self._checkers.get(rule.id)
        if checker is None:
            policy = Policy(builtin_rules=False, enable=frozenset({rule.id}), engine="regex")
            checker = self._checkers[rule.id] = Redactor(policy, rules=[rule])
        return checker

    def _redraw(self, secret: str, keep: int) -> str:
        rng = self._rng
        hex_only = all(c in _HEX for c in secret[keep:].lower()) and any(c.isdigit() for c in secret)
        out = list(secret)
        # Only runs of 8+ letters/digits are random material; shorter runs are structure
        # (``RSA PRIVATE KEY``, ``-us14``, ``v1``) and stay as they are.
        random_part = [False] * len(out)
        for run in _RUN.finditer(secret, keep):
            random_part[run.start():run.end()] = [True] * (run.end() - run.start())
        for i in range(keep, len(out)):
            c = out[i]
            if not c.isascii() or not random_part[i] or (i and secret[i - 1] == "\\"):
                continue
            if c.isdigit():
                out[i] = rng.choice(string.digits)
            elif hex_only and c.lower() in _HEX:
                pool = "abcdef" if c.islower() else "ABCDEF"
                out[i] = rng.choice(pool)
            elif c.islower():
                out[i] = rng.choice(string.ascii_lowercase)
            elif c.isupper():
                out[i] = rng.choice(string.ascii_uppercase)
        return "".join(out)

    def canary(self, rule: Rule) -> Canary:
        """A fresh fake secret for ``rule`` in one of its example lines."""
        example = self._rng.choice(rule.positives)
        secret = example.secrets[0]
        lowered = secret.lower()
        keep = 0
        for kw in rule.keywords:
            pos = lowered.find(kw)
            if pos != -1:
                keep = max(keep, pos + len(kw))
        checker = self._checker(rule)
        for _ in range(self._attempts):
            candidate = self._redraw(secret, keep)
            if candidate == secret:
                continue
            line = example.text.replace(secret, candidate)
            found = {line[f.start:f.end] for f in checker.scan(line)}
            if candidate in found:
                return Canary(rule.id, line, candidate)
        return Canary(rule.id, example.text, secret)

    def canaries(self, per_rule: int = 1) -> Iterator[Canary]:
        """``per_rule`` canaries for every rule of the redactor."""
        for rule in self._redactor.rules:
            for _ in range(per_rule):
                yield self.canary(rule)
