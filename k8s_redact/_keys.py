"""Sensitive key names: values stored under them are redacted whatever they look like.

A key is split into lower-case words at ``-``, ``_``, ``.``, spaces and camelCase boundaries
(``AWS_SECRET_ACCESS_KEY`` -> aws secret access key, ``clientSecret`` -> client secret).  It is
sensitive when its **last words** form a sensitive name: ``db_password``, ``x-api-key``,
``AWS_SECRET_ACCESS_KEY`` and ``client-key-data`` are; ``token_count``, ``max_tokens``,
``secretName``, ``secretKeyRef`` and ``password_changed_at`` are not, because their last word
(count, tokens, name, ref, at) says they describe a secret rather than hold one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import regex

from ._model import PositiveExample, Rule

#: Sensitive names, as word tuples.  Extend with ``Policy(sensitive_keys=...)``.
DEFAULT_SENSITIVE_KEYS: tuple[tuple[str, ...], ...] = (
    ("password",), ("passwd",), ("pwd",), ("passphrase",), ("pass",),
    ("secret",), ("token",), ("credentials",), ("credential",), ("creds",),
    ("apikey",), ("api", "key"), ("access", "key"), ("secret", "key"), ("private", "key"),
    ("signing", "key"), ("encryption", "key"), ("master", "key"), ("account", "key"),
    ("shared", "access", "key"), ("client", "key", "data"), ("client", "key"),
    ("authorization",), ("auth",), ("proxy", "authorization"), ("cookie",), ("set", "cookie"),
    ("session",), ("session", "id"), ("sessionid",), ("sid",), ("jsessionid",), ("phpsessid",),
    ("connection", "string"), ("connectionstring",), ("dsn",),
    ("identitytoken",), ("identity", "token"), ("registrytoken",),
    ("signature",), ("sig",), ("sas",), ("otp",), ("pin",), ("mfa", "code"),
    ("webhook", "url"), ("x", "auth", "token"),
)

#: Extra names that are sensitive as query parameters (``?key=...&code=...``).
QUERY_SENSITIVE_KEYS: tuple[tuple[str, ...], ...] = (
    ("key",), ("code",), ("x", "amz", "signature"), ("x", "amz", "credential"),
    ("x", "amz", "security", "token"), ("x", "goog", "signature"), ("x", "goog", "credential"),
)

#: Numbers under these names are still redacted (a numeric password is a password).
NUMERIC_SENSITIVE: frozenset[str] = frozenset({"password", "passwd", "pwd", "passphrase", "pass",
                                               "pin", "otp"})

_WORD = regex.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


def split_key(name: str) -> tuple[str, ...]:
    """``AWS_SECRET_ACCESS_KEY`` -> ("aws", "secret", "access", "key"); digits are dropped."""
    return tuple(w.lower() for w in _WORD.findall(name) if not w.isdigit())


def normalise_names(names: Iterable[str | tuple[str, ...]]) -> frozenset[str]:
    out = set()
    for name in names:
        words = split_key(name) if isinstance(name, str) else name
        out.add("".join(words))
    return frozenset(out)


class SensitiveKeys:
    """Decides whether a key name is sensitive.  Immutable; cheap to call (memoised)."""

    def __init__(self, extra: Iterable[str] = (), exclude: Iterable[str] = (),
                 query: bool = False) -> None:
        base: list[str | tuple[str, ...]] = list(DEFAULT_SENSITIVE_KEYS)
        if query:
            base += list(QUERY_SENSITIVE_KEYS)
        self._names = normalise_names([*base, *extra])
        self._exclude = normalise_names(exclude)
        self._memo: dict[str, str | None] = {}

    @property
    def names(self) -> frozenset[str]:
        return self._names

    def match(self, key: str) -> str | None:
        """The sensitive name ``key`` ends with (``"password"``), or ``None``."""
        memo = self._memo
        if key in memo:
            return memo[key]
        words = split_key(key)
        found = None
        if words and "".join(words) not in self._exclude:
            for i in range(len(words) - 1, -1, -1):
                if "".join(words[i:]) in self._names:
                    found = "".join(words[i:])
        if len(memo) < 4096:
            memo[key] = found
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.match(key) is not None


# ---------------------------------------------------------------------------- the text rule

SENSITIVE_KEY_RULE_ID = "sensitive-key-value"
_SCHEMES = r"(?:Bearer|Basic|Token|Digest|Negotiate|Bot|SSWS|Splunk|GenieKey|Api-Key|ApiKey)"


def _alternation(words: Iterable[tuple[str, ...]]) -> str:
    # Longest first, then alphabetical: the pattern (and so every cache key) must not depend
    # on set iteration order, which changes from process to process.
    names = sorted({"[-_. ]?".join(regex.escape(w) for w in ws) for ws in words},
                   key=lambda name: (-len(name), name))
    return "|".join(names)


def sensitive_key_pattern(words: Iterable[tuple[str, ...]],
                          query_words: Iterable[tuple[str, ...]] = QUERY_SENSITIVE_KEYS) -> str:
    key = rf"[\w.-]{{0,60}}?(?:{_alternation(words)})"
    query_key = rf"(?:{_alternation(query_words)})"
    value = (
        r"(?:\\{1,3}\"(?P<secret>(?:(?!\\{1,3}\").){1,512}?)\\{1,3}\""  # \"escaped\" JSON
        r"|\"(?P<secret>(?:[^\"\\\n]|\\.){1,512})\""              # "JSON string"
        r"|'(?P<secret>[^'\n]{1,512})'"                           # 'single quoted'
        r"|(?P<secret>\$\{[^}\n]{1,128}\}|\{\{[^}\n]{1,256}\}\})"  # references (filtered)
        r"|(?P<secret>[^\s\"',;&<>(){}\[\]\\|]{1,512}))"          # bare value
    )
    return (
        r"(?i)(?:"
        # YAML / INI / properties / header line ("key: value", "key = value"): the value runs
        # to the end of the line.
        rf"^[ \t]*(?:-[ \t]+)?(?P<key>{key})(?::[ \t]+|[ \t]+=[ \t]*|=[ \t]+)"
        rf"(?:{_SCHEMES}[ \t]+)?(?!{_SCHEMES}(?:[ \t]|$))(?![\"'|>\[{{])(?P<secret>[^\s#][^\n]*?)[ \t]*$"
        # key=value, key: value, "key": "value", key => value, --key=value anywhere in a line.
        rf"|(?<![\w.-])(?:--?)?(?P<key>{key})(?:\\{{0,3}}[\"'])?[ \t]*(?:=>|=|:)[ \t]*"
        rf"(?:{_SCHEMES}[ \t]+)?(?!{_SCHEMES}(?:[ \t]|$)){value}"
        # --key value (command-line flags).
        rf"|(?<![\w.-])--(?P<key>{key})[ \t]+(?P<secret>[^\s\-\"'][^\s\"']{{0,511}})"
        # ?key=... &code=... (names sensitive only as query parameters).
        rf"|(?<=[?&])(?P<key>{query_key})=(?P<secret>[^&\s#\"'<>]{{1,1024}})"
        r")"
    )


def sensitive_key_prefilter(words: Iterable[tuple[str, ...]],
                            query_words: Iterable[tuple[str, ...]] = QUERY_SENSITIVE_KEYS) -> str:
    """A Hyperscan expression that finds every line the rule can match on: a sensitive name
    followed by its separator (one hit per occurrence, not one per character of the value)."""
    return (rf"(?i)(?:{_alternation(words)})(?:\\{{0,3}}[\"'])?[ \t]*(?:=|:)"
            rf"|--[\w.-]*(?:{_alternation(words)})[ \t]"
            rf"|[?&](?:{_alternation(query_words)})=")


_NUMBER = regex.compile(r"^[+-]?\d+(?:\.\d+)?$")


def is_numeric(value: str) -> bool:
    return _NUMBER.match(value) is not None


def sensitive_key_rule(keys: SensitiveKeys, extra_words: Iterable[tuple[str, ...]] = ()) -> Rule:
    """The key-aware text rule, generated from the sensitive key names (so users extend it with
    ``Policy(sensitive_keys=...)``).  Its examples run in the test suite like any pack's."""
    words = (*DEFAULT_SENSITIVE_KEYS, *extra_words)
    return Rule(
        id=SENSITIVE_KEY_RULE_ID,
        category="secret",
        description="The value of any key whose name says it holds a secret (password, token, "
                    "api_key, client_secret, authorization, cookie, ...), in JSON, logfmt, YAML, "
                    "env, INI/properties, headers, query strings and command-line flags.",
        pattern=sensitive_key_pattern(words),
        prefilter=sensitive_key_prefilter(words),
        keywords=tuple(sorted({w[0] for w in (*words, *QUERY_SENSITIVE_KEYS)})),
        secret_group="secret",
        priority=60,
        positives=(
            PositiveExample("password=hunter2", ("hunter2",)),
            PositiveExample('{"db_password": "tr0ub4dor&3", "user": "app"}', ("tr0ub4dor&3",)),
            PositiveExample("  clientSecret: my very secret phrase", ("my very secret phrase",)),
            PositiveExample("curl -H 'X-Api-Key: k3yk3yk3y' --password s3cr3t!", ("k3yk3yk3y", "s3cr3t!")),
            PositiveExample("export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG", ("wJalrXUtnFEMI/K7MDENG",)),
            PositiveExample("Authorization: Bearer abc.def.ghi", ("abc.def.ghi",)),
            PositiveExample("GET /cb?state=xyz&code=4/0AX4XfWh&page=2", ("4/0AX4XfWh",)),
            PositiveExample('msg="login {\\"token\\": \\"t0k3n-v4lue\\"}"', ("t0k3n-v4lue",)),
            PositiveExample("session_id=9f2c4e7a1b3d; theme=dark", ("9f2c4e7a1b3d",)),
        ),
        negatives=(
            "token_count=5 max_tokens: 256 tokens_used=1234",
            "password: null",
            'API_TOKEN="[REDACTED]"',
            "DB_PASSWORD=${DB_PASSWORD}",
            "password: {{ .Values.db.password }}",
            "token expired; password reset requested",
            "secretName: db-creds secretKeyRef: {name: db, key: password}",
            "bypass=1 passport=X1 keyboard=us",
            "cache key=app.kubernetes.io/name",
            "csrf_token_valid=true password_changed_at=2024-01-01",
            "trace_id=4bf92f3577b34da6a3ce929d0e0e4736 pod=web-7d9f8b6c5-x2x9q",
        ),
        skip_contexts=("query",),
        source="<k8s_redact._keys>",
    )


def accept_sensitive_key(keys: SensitiveKeys) -> Callable[[regex.Match[str]], bool]:
    """The rule's code-side check: the whole key must be sensitive by word (``bypass`` is not
    ``pass``), and numbers are kept unless the key names a password or PIN."""

    def accept(match: regex.Match[str]) -> bool:
        name = keys.match(match.group("key") or "")
        if name is None:
            return False
        value = match.group("secret") or ""
        if is_numeric(value) and name not in NUMERIC_SENSITIVE:
            return False
        if match.string[match.end("secret"):match.end("secret") + 1] == "{":
            return False  # token=Token{a64f992 ...}: an object's toString
        if _BYTE_COUNT.match(value) or value.endswith(":"):
            return False  # "password:  24 bytes" (kubectl describe secret); "Token kind: X"
        key = match.group("key")
        if "." in key and (_CLASS_PATH.search(key) or (name in WEAK_NAMES and key.count(".") >= 2)):
            return False  # a logger or class name: org.apache...token.Token, nova.api.openstack.auth
        text = match.string
        key_start = match.start("key")
        separator = text[match.end("key"):match.start("secret")].strip(" \t\"'\\")
        in_prose = text[:key_start].strip(" \t-") != ""
        plain_word = key.isalpha() and key.islower()
        # "failed to fetch token: unexpected status": a plain word key and a word after a colon,
        # mid-sentence.  (clientSecret: my pass phrase is a config line, whatever surrounds it.)
        return not (in_prose and plain_word and separator == ":" and value.isalpha()
                    and value.islower())

    return accept


_BYTE_COUNT = regex.compile(r"^\d+ bytes$")
_CLASS_PATH = regex.compile(r"\.[A-Z][A-Za-z0-9]*$")
#: Names too common in module paths to trust when the key is a dotted path.
WEAK_NAMES = frozenset({"auth", "session", "sid", "sig", "pin", "pass", "token", "secret"})

