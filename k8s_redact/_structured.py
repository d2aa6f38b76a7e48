"""Key-aware and Kubernetes-aware redaction of Python data (``Redactor.redact_obj``).

Walks dicts, lists and scalars and returns a redacted copy; the input is never mutated.

* Values under a sensitive key (``password``, ``client_secret``, ``x-api-key``...; see
  ``_keys``) are replaced whatever they look like.  Booleans, nulls, references (``${VAR}``,
  ``{{ .Values.x }}``), placeholders and, except for password-like keys, numbers are kept.
* ``{"name": "DB_PASSWORD", "value": "..."}`` pairs (Kubernetes ``env``, HAR headers, Helm
  values) are treated as ``DB_PASSWORD: ...``.  ``valueFrom``/``secretKeyRef`` name a secret and
  are kept.
* Kubernetes ``Secret`` objects: every value of ``data`` and ``stringData`` is replaced, whatever
  its key.
* Strings that are themselves JSON (``last-applied-configuration``, JSON-in-JSON log fields) or
  YAML documents are parsed and redacted recursively, and re-serialised only if something
  changed; other strings go through the text rules.
* Numbers are checked as text (card numbers logged as integers); a redacted number becomes its
  placeholder string.
* Nesting deeper than ``max_depth`` is replaced whole (fail closed).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ._filters import is_false_positive
from ._keys import NUMERIC_SENSITIVE, SensitiveKeys

DEPTH_PLACEHOLDER = "[REDACTED:depth-limit]"
_DROP = object()


def is_kubernetes_secret(obj: dict[Any, Any]) -> bool:
    return obj.get("kind") == "Secret" and (
        "data" in obj or "stringData" in obj or str(obj.get("apiVersion", "v1")) == "v1")


def _separators(text: str) -> tuple[str, str]:
    """Keep the look of the original JSON: compact (Go, zap) or spaced (Python)."""
    return (", ", ": ") if '": ' in text or '", ' in text else (",", ":")


class ObjectRedactor:
    """Redacts Python data.  Stateless and thread-safe."""

    def __init__(self, *, redact_text: Callable[[str], str], keys: SensitiveKeys,
                 key_value: Callable[[str], str] | None, drop_keys: bool,
                 secret_value: Callable[[str], str] | None, max_depth: int = 64,
                 max_embedded: int = 4 << 20) -> None:
        self._text = redact_text
        self._keys = keys
        self._key_value = key_value
        self._drop_keys = drop_keys
        self._secret_value = secret_value
        self._max_depth = max_depth
        self._max_embedded = max_embedded

    def redact(self, obj: Any) -> Any:
        return self._walk(obj, 0)

    # ------------------------------------------------------------------ walking

    def _walk(self, obj: Any, depth: int) -> Any:
        if depth > self._max_depth:
            return DEPTH_PLACEHOLDER
        if isinstance(obj, str):
            return self._string(obj, depth)
        if isinstance(obj, dict):
            return self._dict(obj, depth)
        if isinstance(obj, list | tuple):
            items = [self._walk(item, depth + 1) for item in obj]
            return items if isinstance(obj, list) else tuple(items)
        if isinstance(obj, bool) or obj is None:
            return obj
        if isinstance(obj, int | float):
            text = str(obj)
            redacted = self._text(text)
            return obj if redacted == text else redacted
        return obj

    def _dict(self, obj: dict[Any, Any], depth: int) -> dict[Any, Any]:
        secret_fields: tuple[str, ...] = ()
        if self._secret_value is not None and is_kubernetes_secret(obj):
            secret_fields = ("data", "stringData")
        pair_name = self._pair_name(obj)
        out: dict[Any, Any] = {}
        for key, value in obj.items():
            if key in secret_fields and isinstance(value, dict):
                out[key] = {k: self._secret(v) for k, v in value.items()}
                continue
            name = pair_name if key == "value" and pair_name else (
                self._keys.match(key) if isinstance(key, str) and self._key_value else None)
            if name is not None:
                replaced = self._sensitive(value, name, depth)
                if replaced is not _DROP:
                    out[key] = replaced
                continue
            out[key] = self._walk(value, depth + 1)
        return out

    def _pair_name(self, obj: dict[Any, Any]) -> str | None:
        """For ``{"name": "DB_PASSWORD", "value": ...}`` the sensitive name, else None."""
        if self._key_value is None or "value" not in obj:
            return None
        for field in ("name", "key", "Name", "Key"):
            label = obj.get(field)
            if isinstance(label, str):
                return self._keys.match(label)
        return None

    def _sensitive(self, value: Any, name: str, depth: int) -> Any:
        """A value stored under a sensitive key."""
        assert self._key_value is not None
        if isinstance(value, dict):
            return self._walk(value, depth + 1)
        if isinstance(value, list | tuple):
            items = [self._sensitive(v, name, depth + 1) for v in value]
            items = [v for v in items if v is not _DROP]
            return items if isinstance(value, list) else tuple(items)
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            if name not in NUMERIC_SENSITIVE:
                return self._walk(value, depth + 1)
            value = str(value)
        if not isinstance(value, str):
            return value
        if not value.strip() or is_false_positive(value):
            return value
        return _DROP if self._drop_keys else self._key_value(value)

    def _secret(self, value: Any) -> Any:
        assert self._secret_value is not None
        if isinstance(value, str) and value:
            return self._secret_value(value)
        if isinstance(value, bytes) and value:
            return self._secret_value(value.decode("utf-8", "replace"))
        return value

    # ------------------------------------------------------------------ strings

    def _string(self, text: str, depth: int) -> str:
        if len(text) <= self._max_embedded:
            head = text.lstrip()[:1]
            if head in ("{", "["):
                parsed = self._parse_json(text)
                if parsed is not None:
                    redacted = self._walk(parsed, depth + 1)
                    if redacted == parsed:
                        return text
                    return json.dumps(redacted, ensure_ascii=False, separators=_separators(text))
            elif "\n" in text and ": " in text:
                parsed = self._parse_yaml(text)
                if parsed is not None:
                    redacted = self._walk(parsed, depth + 1)
                    if redacted != parsed:
                        # Comments are lost in the re-dump: nothing of them can leak.
                        return self._dump_yaml(redacted)
        return self._text(text)

    @staticmethod
    def _parse_json(text: str) -> Any:
        try:
            parsed = json.loads(text)
        except ValueError:
            return None
        return parsed if isinstance(parsed, dict | list) else None

    @staticmethod
    def _parse_yaml(text: str) -> Any:
        from ._loader import _yaml_load

        try:
            parsed = _yaml_load(text)
        except Exception:
            return None
        return parsed if isinstance(parsed, dict) else None

    @staticmethod
    def _dump_yaml(obj: Any) -> str:
        import yaml

        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        return str(yaml.dump(obj, Dumper=dumper, sort_keys=False, allow_unicode=True,
                             default_flow_style=False))
