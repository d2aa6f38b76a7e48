"""Operators turn a redacted span into its replacement.

Each operator is built once (at ``Redactor`` construction) into a plain callable
``(rule_id, value_bytes) -> replacement_bytes``.  Placeholders are pure ASCII without quotes or
backslashes, so they never break JSON, YAML or logfmt quoting, and no rule matches them again
(redacting twice equals redacting once).

=========  ==========================================================================
replace    ``[REDACTED:<rule-id>]`` (the default)
mask       keep ``keep_start`` leading / ``keep_end`` trailing characters, ``*`` between
hash       ``[REDACTED:<rule-id>:<16 hex>]``: keyed HMAC-SHA256 of the value, so the same
           value and key always give the same token; needs a key, never unkeyed
drop       remove the value (structured fields lose the whole key)
=========  ==========================================================================
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass

from ._errors import PolicyError

Operator = Callable[[str, bytes], bytes]
OPERATOR_NAMES: tuple[str, ...] = ("replace", "mask", "hash", "drop")
HASH_KEY_ENV = "K8S_REDACT_HASH_KEY"


def placeholder(rule_id: str) -> str:
    """The ``replace`` operator's output for ``rule_id``."""
    return f"[REDACTED:{rule_id}]"


@dataclass(frozen=True, slots=True)
class OperatorSpec:
    """An operator name and its parameters, as a policy states it."""

    name: str = "replace"
    keep_start: int = 4
    keep_end: int = 0
    hash_chars: int = 16

    def __post_init__(self) -> None:
        if self.name not in OPERATOR_NAMES:
            raise PolicyError(f"unknown operator {self.name!r} (known: {', '.join(OPERATOR_NAMES)})")
        if self.keep_start < 0 or self.keep_end < 0:
            raise PolicyError("mask keep_start/keep_end must be >= 0")
        if not 8 <= self.hash_chars <= 64:
            raise PolicyError("hash_chars must be between 8 and 64")


def _replace(rule_id: str, value: bytes) -> bytes:
    return placeholder(rule_id).encode()


def _drop(rule_id: str, value: bytes) -> bytes:
    return b""


def _mask(spec: OperatorSpec) -> Operator:
    def mask(rule_id: str, value: bytes) -> bytes:
        text = value.decode("utf-8", "surrogateescape")
        # Never reveal more than a quarter of a value, whatever the configuration.
        budget = len(text) // 4
        start = min(spec.keep_start, budget)
        end = min(spec.keep_end, budget - start)
        hidden = len(text) - start - end
        masked = text[:start] + "*" * hidden + (text[len(text) - end:] if end else "")
        return masked.encode("utf-8", "surrogateescape")

    return mask


def _hash(spec: OperatorSpec, key: bytes) -> Operator:
    def hash_value(rule_id: str, value: bytes) -> bytes:
        digest = hmac.new(key, value, hashlib.sha256).hexdigest()[: spec.hash_chars]
        return f"[REDACTED:{rule_id}:{digest}]".encode()

    return hash_value


def resolve_hash_key(key: bytes | str | None) -> bytes | None:
    if key is None:
        key = os.environ.get(HASH_KEY_ENV) or None
    if key is None:
        return None
    return key.encode() if isinstance(key, str) else key


def build_operator(spec: OperatorSpec, hash_key: bytes | None) -> Operator:
    if spec.name == "replace":
        return _replace
    if spec.name == "drop":
        return _drop
    if spec.name == "mask":
        return _mask(spec)
    if not hash_key:
        raise PolicyError(
            f"the hash operator needs a key: set hash_key in the policy or ${HASH_KEY_ENV} "
            "(unkeyed hashes of short secrets are reversible by brute force)")
    return _hash(spec, hash_key)
