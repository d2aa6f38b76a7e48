"""False-positive filters shared by every rule: values that are never secrets.

Small plain functions in the spirit of detect-secrets' filters, with explicit signatures.  They
run on the candidate secret value only (the part a rule would redact).
"""

from __future__ import annotations

import regex

# Placeholders our own operators emit, so redacting twice equals redacting once.
_OWN_PLACEHOLDER = regex.compile(r"\[REDACTED(?::[\w.:-]*)?\]", regex.ASCII)
_TEMPLATE = regex.compile(
    r"""^(?:
        \$\{[^}]*\}            # ${VAR}, ${VAR:-default}
      | \$\([^)]*\)            # $(VAR) as Kubernetes expands in env
      | \$[A-Z_][A-Z0-9_]*     # $VAR
      | \{\{[^}]*\}\}          # {{ .Values.x }}
      | %\([^)]*\)s            # %(name)s
      | <[^<>]{1,64}>          # <redacted>, <your-token>
      | %[A-Z_][A-Z0-9_]*%     # %VAR%
    )$""",
    regex.VERBOSE | regex.ASCII,
)
_MASKED = regex.compile(
    r"^(?:[*xX#.•]{3,}|(?i:redacted|masked|hidden|removed|filtered)|[^*\s]{0,64}\*{3,})$")
_NULLISH = frozenset({
    "null", "none", "nil", "undefined", "true", "false", "yes", "no", "on", "off",
    "empty", "n/a", "na", "-", "''", '""',
})


def is_own_placeholder(value: str) -> bool:
    """``[REDACTED]`` / ``[REDACTED:rule-id]`` (and anything containing one)."""
    return _OWN_PLACEHOLDER.search(value) is not None


def is_templated(value: str) -> bool:
    """``${VAR}``, ``{{ .Values.x }}``, ``<your-token>``: a reference, not a value."""
    return _TEMPLATE.match(value.strip("\"'")) is not None


def is_masked(value: str) -> bool:
    """``****``, ``xxxx``, ``REDACTED``, ``ghp_****`` (our mask): already hidden."""
    return _MASKED.match(value.strip("\"'")) is not None


_OBJECT_REPR = regex.compile(r"^[A-Za-z_$][\w$.]*\{")


def is_object_repr(value: str) -> bool:
    """``AppWindowToken{9f4ef63``: a Java/Android object's toString, not a credential."""
    return _OBJECT_REPR.match(value) is not None


# A run of eight or more x/X/*/# inside a value marks a documentation placeholder
# (``bP88Q~xxxxxxxx...``, ``xxxxxxxxxxxxxx.atlasv1.xxxx...``); a random token holds one with
# probability ~62**-8.  Runs of other letters are left alone (Twitter bearer tokens start with A's).
_PLACEHOLDER_RUN = regex.compile(r"[xX]{8,}|[*#]{8,}")

# A reference to a variable or property of well-known receivers in code or HCL
# (``var.db_password``, ``this.apiKey``, ``process.env.TOKEN``, ``fs.readFileSync(``).
_CODE_REFERENCE = regex.compile(
    r"^(?:var|local|locals|data|module|this|self|props|process\.env|os\.environ|request|req|fs)"
    r"\.[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*(?:\(.*|\[.*|[,;])?$",
    regex.ASCII,
)


def is_placeholder_run(value: str) -> bool:
    """``glpat-XXXXXXXXXXX-XXXXXXXX``: a value holding a long x/X/*/# run is a placeholder."""
    return _PLACEHOLDER_RUN.search(value) is not None


def is_code_reference(value: str) -> bool:
    """``var.db_password``, ``this.apiKey``: a reference in code, not a value."""
    return _CODE_REFERENCE.match(value.strip("\"'")) is not None


def is_nullish(value: str) -> bool:
    """``null``, ``false``, ``""``: not a credential."""
    return value.strip().lower() in _NULLISH


DEFAULT_FILTERS = (is_own_placeholder, is_templated, is_masked, is_nullish, is_object_repr,
                   is_placeholder_run, is_code_reference)


def is_false_positive(value: str) -> bool:
    return any(f(value) for f in DEFAULT_FILTERS)
