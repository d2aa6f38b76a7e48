"""Validators confirm that a regex match really is what the rule claims.

Each validator is a small typed callable ``(value) -> bool`` built once from its argument in the
rule file (``validators: {entropy: 3.5, luhn: true}``).  The registry maps the names usable in
rule packs to factories; a factory raises ``ValueError`` on a bad argument, which the loader turns
into a :class:`~k8s_redact.RulePackError` naming the rule and field.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections import Counter
from collections.abc import Callable

Validator = Callable[[str], bool]


def luhn_valid(value: str) -> bool:
    """Payment-card checksum over the digits of ``value`` (separators ignored)."""
    digits = [ord(c) - 48 for c in value if "0" <= c <= "9"]
    if len(digits) < 12:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


_IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18,
    "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24,
    "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
    "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}


def iban_valid(value: str) -> bool:
    """ISO 13616 IBAN: known country length and mod-97 == 1."""
    iban = "".join(c for c in value if c.isalnum()).upper()
    if len(iban) < 15 or _IBAN_LENGTHS.get(iban[:2]) != len(iban):
        return False
    rearranged = iban[4:] + iban[:4]
    try:
        number = int("".join(str(int(c, 36)) for c in rearranged))
    except ValueError:
        return False
    return number % 97 == 1


def shannon_entropy(value: str) -> float:
    """Bits per character of ``value``."""
    if not value:
        return 0.0
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


def _b64url_json(segment: str) -> object:
    padded = segment + "=" * (-len(segment) % 4)
    return json.loads(base64.urlsafe_b64decode(padded))


def jwt_valid(value: str) -> bool:
    """Three (or five, JWE) dot-separated base64url parts whose header is JSON with ``alg``."""
    parts = value.split(".")
    if len(parts) not in (3, 5):
        return False
    try:
        header = _b64url_json(parts[0])
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    return isinstance(header, dict) and ("alg" in header or "enc" in header)


def ssn_valid(value: str) -> bool:
    """US SSN area/group/serial rules (no 000, 666, 9xx area; no 00 group; no 0000 serial)."""
    digits = "".join(c for c in value if c.isdigit())
    if len(digits) != 9:
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
        return False
    return len(set(digits)) > 1 and digits not in ("123456789", "078051120", "219099999")


def _entropy(arg: object) -> Validator:
    if isinstance(arg, bool) or not isinstance(arg, int | float) or not 0 < float(arg) <= 8:
        raise ValueError("entropy takes a number of bits per character in (0, 8]")
    minimum = float(arg)
    return lambda value: shannon_entropy(value) >= minimum


def _flag(name: str, func: Validator) -> Callable[[object], Validator]:
    def factory(arg: object) -> Validator:
        if arg is not True:
            raise ValueError(f"{name} takes no argument: write '{name}: true'")
        return func

    return factory


def _min_digits(arg: object) -> Validator:
    if isinstance(arg, bool) or not isinstance(arg, int) or arg < 1:
        raise ValueError("min_digits takes a positive whole number")
    n = arg
    return lambda value: sum(c.isdigit() for c in value) >= n


def _mixed(value: str) -> bool:
    """At least two of: lower case, upper case, digits (random tokens, not words)."""
    kinds = (any(c.islower() for c in value) + any(c.isupper() for c in value)
             + any(c.isdigit() for c in value))
    return kinds >= 2


def _not_hex_only(value: str) -> bool:
    return not all(c in "0123456789abcdefABCDEF-" for c in value)


_B64 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_")


def b64decode_loose(body: str) -> bytes | None:
    """Standard or URL-safe base64, padding optional; ``None`` if it does not decode."""
    altchars = b"-_" if ("-" in body or "_" in body) else None
    try:
        return base64.b64decode(body.rstrip("=") + "=" * (-len(body.rstrip("=")) % 4),
                                altchars=altchars, validate=True)
    except (binascii.Error, ValueError):
        return None


def base64_payload(value: str) -> bool:
    """Looks like base64-encoded data (a Secret's ``data`` value), not a plain word: base64
    alphabet, decodable, and not only lower-case letters (``info``, ``true`` stay)."""
    body = value.rstrip("=")
    if len(value) < 4 or len(value) - len(body) > 2 or not body or not set(body) <= _B64:
        return False
    if body.isalpha() and body.islower():
        return False
    return b64decode_loose(body) is not None


def _decodes_to_secret(arg: object) -> Validator:
    """Bound by the Redactor to its own scanner (see ``_decode``); alone it accepts nothing."""
    if arg not in ("base64", "percent"):
        raise ValueError("decodes_to_secret takes 'base64' or 'percent'")
    return lambda value: False


VALIDATORS: dict[str, Callable[[object], Validator]] = {
    "base64": _flag("base64", base64_payload),
    "decodes_to_secret": _decodes_to_secret,
    "luhn": _flag("luhn", luhn_valid),
    "iban": _flag("iban", iban_valid),
    "jwt": _flag("jwt", jwt_valid),
    "ssn": _flag("ssn", ssn_valid),
    "mixed": _flag("mixed", _mixed),
    "not_hex_only": _flag("not_hex_only", _not_hex_only),
    "entropy": _entropy,
    "min_digits": _min_digits,
}


def build_validator(name: str, arg: object) -> Validator:
    """Build the named validator; ``KeyError`` for an unknown name, ``ValueError`` for a bad arg."""
    return VALIDATORS[name](arg)
