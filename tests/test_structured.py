"""Structured and Kubernetes-aware redaction on realistic fixtures (tests/data/structured).

Every fixture is a hand-written copy of a real format (kubectl output, kubeconfig, audit log, access
logs...) holding fake secrets; ``expectations.yaml`` lists, per fixture, the values that must
disappear, the values that must survive and the lines that must come out byte-identical.  Each
fixture goes through the pipe path (``Redactor.redact`` on the text) and, when it is JSON or YAML,
through the object path (``Redactor.redact_obj`` on the parsed data).
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
import random
import string
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from k8s_redact import Redactor
from k8s_redact.testing import assert_no_leaks

DATA = Path(__file__).parent / "data" / "structured"
EXPECT: dict[str, dict[str, Any]] = yaml.safe_load((DATA / "expectations.yaml").read_text())
FIXTURES = sorted(EXPECT)
STRUCTURED = [n for n in FIXTURES if EXPECT[n]["format"] != "text"]
YAML_FIXTURES = [n for n in FIXTURES if EXPECT[n]["format"] == "yaml"]
WITH_UNCHANGED = [n for n in FIXTURES if EXPECT[n].get("unchanged_lines")]
#: Substring of every placeholder (also when a YAML flow list turned ``[REDACTED:x]`` into a list).
PLACEHOLDER = "REDACTED"


# ---------------------------------------------------------------------------- helpers


@cache
def read(name: str) -> str:
    return (DATA / name).read_text()


def decoded(value: str) -> str | None:
    """The UTF-8 text a base64 value decodes to, when it is text of 6+ characters."""
    try:
        raw = base64.b64decode(value, validate=True)
        text = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    return text if len(text) >= 6 else None


def must_disappear(name: str) -> list[str]:
    exp = EXPECT[name]
    out = list(exp["gone"]) + list(exp["gone_b64"])
    for value in exp["gone_b64"]:
        text = decoded(value)
        if text is not None:
            out.append(text)
    return out


def parse(name: str, text: str) -> list[Any]:
    """The documents of a structured fixture (YAML documents, the JSON value, or JSON lines)."""
    fmt = EXPECT[name]["format"]
    if fmt == "yaml":
        return list(yaml.safe_load_all(text))
    if fmt == "json":
        return [json.loads(text)]
    assert fmt == "jsonl"
    return [json.loads(line) for line in text.splitlines()]


def parse_output(name: str, text: str) -> list[Any]:
    """Like :func:`parse`, but a JSON line that no longer parses becomes None, so one broken line
    fails only the tests about validity (``test_same_keys_same_order``), not every other check."""
    if EXPECT[name]["format"] != "jsonl":
        return parse(name, text)
    out = []
    for line in text.splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            out.append(None)
    return out


def is_redacted(value: Any) -> bool:
    return PLACEHOLDER in str(value)


def as_json(value: Any) -> Any:
    """``value`` parsed, when it is a string holding a JSON object or array, else None."""
    if isinstance(value, str) and value.lstrip()[:1] in ("{", "["):
        try:
            parsed = json.loads(value)
        except ValueError:
            return None
        return parsed if isinstance(parsed, dict | list) else None
    return None


def leaves(obj: Any) -> Iterator[str]:
    """Every key and scalar as text, descending into strings that are JSON documents."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield str(key)
            yield from leaves(value)
    elif isinstance(obj, list | tuple):
        for item in obj:
            yield from leaves(item)
    else:
        yield str(obj)
        embedded = as_json(obj)
        if embedded is not None:
            yield from leaves(embedded)


def flat(docs: Any) -> str:
    return "\n".join(leaves(docs))


def key_paths(obj: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Ordered paths of every dict key (list indexes included): same keys, same order."""
    out: list[tuple[Any, ...]] = []
    if isinstance(obj, dict):
        for key, value in obj.items():
            out.append((*path, key))
            out.extend(key_paths(value, (*path, key)))
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            out.extend(key_paths(item, (*path, i)))
    return out


def scalar_paths(obj: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from scalar_paths(value, (*path, key))
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from scalar_paths(item, (*path, i))
    else:
        yield path, obj


def at(obj: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        obj = obj[part]
    return obj


def secrets_in(obj: Any) -> Iterator[dict[str, Any]]:
    """Every Kubernetes Secret in a document: top level, List items, audit request/response
    objects, and Secrets inside last-applied-configuration strings."""
    if isinstance(obj, dict):
        if obj.get("kind") == "Secret":
            yield obj
        for value in obj.values():
            yield from secrets_in(value)
    elif isinstance(obj, list):
        for item in obj:
            yield from secrets_in(item)
    else:
        embedded = as_json(obj)
        if embedded is not None:
            yield from secrets_in(embedded)


def unredacted_secret_values(docs: list[Any]) -> list[str]:
    """``name.field.key`` of every non-empty Secret data/stringData value not replaced."""
    bad = []
    for doc in docs:
        for secret in secrets_in(doc):
            name = secret.get("metadata", {}).get("name", "?")
            for field in ("data", "stringData"):
                for key, value in (secret.get(field) or {}).items():
                    if value not in ("", None) and not is_redacted(value):
                        bad.append(f"{name}.{field}.{key}")
    return bad


def missing(values: list[str], text: str) -> list[str]:
    return [v for v in values if v not in text]


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def piped(redactor: Redactor) -> Any:
    """name -> Redactor().redact(fixture text), computed once per fixture."""
    done: dict[str, str] = {}

    def get(name: str) -> str:
        if name not in done:
            done[name] = redactor.redact(read(name))
        return done[name]

    return get


@pytest.fixture(scope="module")
def objs(redactor: Redactor) -> Any:
    """name -> (parsed documents, Redactor().redact_obj of each), computed once per fixture."""
    done: dict[str, tuple[list[Any], list[Any]]] = {}

    def get(name: str) -> tuple[list[Any], list[Any]]:
        if name not in done:
            docs = parse(name, read(name))
            done[name] = (docs, [redactor.redact_obj(d) for d in docs])
        return done[name]

    return get


def test_expectations_match_fixtures() -> None:
    """Every fixture file has expectations, and every keep value occurs in its fixture."""
    files = sorted(p.name for p in DATA.iterdir() if p.name != "expectations.yaml")
    assert files == FIXTURES
    for name in FIXTURES:
        assert not missing(EXPECT[name]["keep"], read(name)), name


# ---------------------------------------------------------------------------- (a) the pipe path


class TestPipeLeaks:
    """Redactor().redact on the whole fixture text: what must go is gone, what must stay stays."""

    @pytest.mark.parametrize("name", FIXTURES)
    def test_secrets_disappear(self, name: str, piped: Any) -> None:
        """No must-disappear value (nor decoded base64 form) survives in the redacted text."""
        assert_no_leaks(piped(name), must_disappear(name))

    @pytest.mark.parametrize("name", STRUCTURED)
    def test_secrets_disappear_after_parsing(self, name: str, piped: Any) -> None:
        """No secret survives in the parsed output either (JSON-escaped forms such as \\u0026)."""
        assert_no_leaks(flat(parse_output(name, piped(name))), must_disappear(name))

    @pytest.mark.parametrize("name", FIXTURES)
    def test_identifiers_survive(self, name: str, piped: Any) -> None:
        """Every must-survive value (uids, names, digests, error text...) is still present."""
        assert missing(EXPECT[name]["keep"], piped(name)) == []

    @pytest.mark.parametrize("name", FIXTURES)
    def test_line_count_unchanged(self, name: str, piped: Any) -> None:
        """A line in is a line out."""
        assert piped(name).count("\n") == read(name).count("\n")

    @pytest.mark.parametrize("name", WITH_UNCHANGED)
    def test_lines_without_secrets_are_byte_identical(self, name: str, piped: Any) -> None:
        """Lines holding no secret come out byte for byte (no over-redaction)."""
        before, after = read(name).split("\n"), piped(name).split("\n")
        changed = [i for i in EXPECT[name]["unchanged_lines"] if before[i - 1] != after[i - 1]]
        assert changed == [], [before[i - 1][:120] for i in changed]

    @pytest.mark.parametrize("name", FIXTURES)
    def test_idempotent(self, name: str, piped: Any, redactor: Redactor) -> None:
        """Redacting the redacted text changes nothing."""
        once = piped(name)
        twice = redactor.redact(once)
        changed = [
            i
            for i, (a, b) in enumerate(zip(once.split("\n"), twice.split("\n"), strict=False), 1)
            if a != b
        ]
        assert twice == once, f"lines changed by a second pass: {changed}"


class TestPipeStructure:
    """Redacted JSON and YAML still parse, with the same keys in the same order."""

    @pytest.mark.parametrize("name", STRUCTURED)
    def test_same_keys_same_order(self, name: str, piped: Any) -> None:
        """The redacted text parses (yaml.safe_load_all / json.loads) to the same key paths."""
        before, after = parse(name, read(name)), parse(name, piped(name))
        assert len(after) == len(before)
        for doc_before, doc_after in zip(before, after, strict=True):
            assert key_paths(doc_after) == key_paths(doc_before)

    @pytest.mark.parametrize("name", STRUCTURED)
    def test_scalars_stay_scalars(self, name: str, piped: Any) -> None:
        """A redacted scalar stays a scalar (a YAML placeholder must not become a flow list)."""
        before, after = parse(name, read(name)), parse_output(name, piped(name))
        changed = []
        for doc_before, doc_after in zip(before, after, strict=True):
            if doc_after is None:
                continue
            for path, _ in scalar_paths(doc_before):
                try:
                    value = at(doc_after, path)
                except (KeyError, IndexError, TypeError):
                    changed.append(path)
                    continue
                if isinstance(value, dict | list):
                    changed.append(path)
        assert changed == []

    @pytest.mark.parametrize("name", STRUCTURED)
    def test_embedded_json_still_parses(self, name: str, piped: Any) -> None:
        """Strings holding JSON (last-applied-configuration, escaped msg) stay JSON, same keys."""
        before, after = parse(name, read(name)), parse_output(name, piped(name))
        broken = []
        for doc_before, doc_after in zip(before, after, strict=True):
            if doc_after is None:
                continue
            for path, value in scalar_paths(doc_before):
                inner = as_json(value)
                if inner is None:
                    continue
                try:
                    inner_after = as_json(at(doc_after, path))
                except (KeyError, IndexError, TypeError):
                    inner_after = None
                if inner_after is None or key_paths(inner_after) != key_paths(inner):
                    broken.append(path)
        assert broken == []

    @pytest.mark.parametrize("name", [n for n in STRUCTURED if any(secrets_in(parse(n, read(n))))])
    def test_every_secret_value_is_a_placeholder(self, name: str, piped: Any) -> None:
        """Every data/stringData value of every Secret (annotations, Lists, audit) is replaced."""
        assert unredacted_secret_values(parse_output(name, piped(name))) == []


# ---------------------------------------------------------------------------- (b) the object path


class TestObjectPath:
    """Redactor().redact_obj on the parsed fixtures: same guarantees, and the input is untouched."""

    @pytest.mark.parametrize("name", STRUCTURED)
    def test_secrets_disappear(self, name: str, objs: Any) -> None:
        """No must-disappear value (nor decoded base64 form) survives in the redacted copy."""
        _, redacted = objs(name)
        assert_no_leaks(flat(redacted), must_disappear(name))

    @pytest.mark.parametrize("name", STRUCTURED)
    def test_identifiers_survive(self, name: str, objs: Any) -> None:
        """Every must-survive value is still present in the redacted copy."""
        _, redacted = objs(name)
        assert missing(EXPECT[name]["keep"], flat(redacted)) == []

    @pytest.mark.parametrize("name", STRUCTURED)
    def test_same_keys_same_order(self, name: str, objs: Any) -> None:
        """The redacted copy has the same key paths, in the same order."""
        docs, redacted = objs(name)
        for doc, red in zip(docs, redacted, strict=True):
            assert key_paths(red) == key_paths(doc)

    @pytest.mark.parametrize("name", STRUCTURED)
    def test_input_not_mutated(self, name: str, redactor: Redactor) -> None:
        """redact_obj leaves its input exactly as it was."""
        docs = parse(name, read(name))
        before = copy.deepcopy(docs)
        for doc in docs:
            redactor.redact_obj(doc)
        same = docs == before
        assert same, "redact_obj mutated its input"

    @pytest.mark.parametrize("name", STRUCTURED)
    def test_embedded_json_still_parses(self, name: str, objs: Any) -> None:
        """Strings holding JSON come back as JSON with the same keys."""
        docs, redacted = objs(name)
        broken = []
        for doc, red in zip(docs, redacted, strict=True):
            for path, value in scalar_paths(doc):
                inner = as_json(value)
                if inner is not None:
                    inner_after = as_json(at(red, path))
                    if inner_after is None or key_paths(inner_after) != key_paths(inner):
                        broken.append(path)
        assert broken == []

    @pytest.mark.parametrize("name", [n for n in STRUCTURED if any(secrets_in(parse(n, read(n))))])
    def test_every_secret_value_is_a_placeholder(self, name: str, objs: Any) -> None:
        """Every data/stringData value of every Secret is replaced, whatever its key."""
        _, redacted = objs(name)
        assert unredacted_secret_values(redacted) == []

    @pytest.mark.parametrize("name", STRUCTURED)
    def test_idempotent(self, name: str, objs: Any, redactor: Redactor) -> None:
        """redact_obj of the redacted copy changes nothing."""
        _, redacted = objs(name)
        again = [redactor.redact_obj(r) for r in redacted]
        same = again == redacted
        assert same


# ---------------------------------------------------------------------------- Kubernetes specifics


def _doc(name: str, docs: list[Any], kind: str, obj_name: str | None = None) -> dict[str, Any]:
    for doc in docs:
        if doc.get("kind") == kind and (obj_name is None or doc["metadata"]["name"] == obj_name):
            return doc  # type: ignore[no-any-return]
    raise LookupError(f"{kind} {obj_name} not in {name}")


def _both_paths(name: str, piped: Any, objs: Any) -> list[tuple[str, list[Any]]]:
    return [("pipe", parse_output(name, piped(name))), ("obj", objs(name)[1])]


class TestKubernetesObjects:
    """Kubernetes-aware behaviour, checked on both paths (pipe output re-parsed, and redact_obj)."""

    def test_deployment_env(self, piped: Any, objs: Any) -> None:
        """env[].value is replaced when the name is sensitive or the value matches a rule."""
        original = {
            e["name"]: e
            for e in _doc(
                "deployment.yaml", parse("deployment.yaml", read("deployment.yaml")), "Deployment"
            )["spec"]["template"]["spec"]["containers"][0]["env"]
        }
        for path, docs in _both_paths("deployment.yaml", piped, objs):
            env = {
                e["name"]: e
                for e in _doc("deployment.yaml", docs, "Deployment")["spec"]["template"]["spec"][
                    "containers"
                ][0]["env"]
            }
            for name in ("DB_PASSWORD", "ORDERS_DSN", "CALLBACK_URL"):
                assert is_redacted(env[name]["value"]), (path, name)
            for name in ("LOG_LEVEL", "DB_HOST", "MAX_TOKENS", "TOKEN_TTL"):
                assert env[name]["value"] == original[name]["value"], (path, name)
            for name in ("DB_USER", "DB_PASSWORD_REF", "POD_NAME"):
                assert env[name]["valueFrom"] == original[name]["valueFrom"], (path, name)

    def test_deployment_env_from_kept(self, piped: Any, objs: Any) -> None:
        """envFrom configMapRef / secretRef references come through unchanged."""
        original = _doc(
            "deployment.yaml", parse("deployment.yaml", read("deployment.yaml")), "Deployment"
        )
        want = original["spec"]["template"]["spec"]["containers"][0]["envFrom"]
        for path, docs in _both_paths("deployment.yaml", piped, objs):
            got = _doc("deployment.yaml", docs, "Deployment")["spec"]["template"]["spec"][
                "containers"
            ][0]["envFrom"]
            assert got == want, path

    def test_last_applied_configuration_redacted_recursively(self, piped: Any, objs: Any) -> None:
        """The last-applied-configuration JSON still parses and its env secrets are replaced."""
        key = "kubectl.kubernetes.io/last-applied-configuration"
        for path, docs in _both_paths("deployment.yaml", piped, objs):
            applied = json.loads(
                _doc("deployment.yaml", docs, "Deployment")["metadata"]["annotations"][key]
            )
            env = {
                e["name"]: e for e in applied["spec"]["template"]["spec"]["containers"][0]["env"]
            }
            assert is_redacted(env["DB_PASSWORD"]["value"]), path
            assert env["LOG_LEVEL"]["value"] == "info", path
            assert env["DB_USER"]["valueFrom"]["secretKeyRef"] == {
                "key": "username",
                "name": "db-credentials",
            }, path

    def test_configmap_plain_values_kept(self, piped: Any, objs: Any) -> None:
        """A ConfigMap of plain settings comes through unchanged (no base64 guessing)."""
        want = _doc(
            "configmaps.yaml",
            parse("configmaps.yaml", read("configmaps.yaml")),
            "ConfigMap",
            "orders-config",
        )
        for path, docs in _both_paths("configmaps.yaml", piped, objs):
            same = _doc("configmaps.yaml", docs, "ConfigMap", "orders-config") == want
            assert same, path

    def test_configmap_password_line_redacted(self, piped: Any, objs: Any) -> None:
        """password= (properties) and password = (INI) inside a ConfigMap are redacted."""
        for path, docs in _both_paths("configmaps.yaml", piped, objs):
            data = _doc("configmaps.yaml", docs, "ConfigMap", "billing-legacy-config")["data"]
            props = dict(line.split("=", 1) for line in data["application.properties"].splitlines())
            assert is_redacted(props["spring.datasource.password"]), path
            assert props["spring.datasource.username"] == "billing", path
            ini = dict(
                line.split(" = ", 1) for line in data["settings.ini"].splitlines() if " = " in line
            )
            assert is_redacted(ini["password"]), path
            assert ini["pool_size"] == "10", path

    def test_configmap_embedded_yaml_redacted(self, piped: Any, objs: Any) -> None:
        """A YAML file inside a ConfigMap: password replaced, the rest parses and stays."""
        for path, docs in _both_paths("configmaps.yaml", piped, objs):
            app = yaml.safe_load(
                _doc("configmaps.yaml", docs, "ConfigMap", "billing-legacy-config")["data"][
                    "app.yaml"
                ]
            )
            assert is_redacted(app["database"]["password"]), path
            assert app["database"]["host"] == "billing-db.payments.svc", path
            assert app["server"] == {"port": 8080} and app["database"]["pool"] == 10, path

    @pytest.mark.parametrize(
        "field",
        [
            "client-key-data",
            "token",
            "password",
            "client-secret",
            "id-token",
            "refresh-token",
            "access-token",
            "AWS_SECRET_ACCESS_KEY",
            "VAULT_TOKEN",
        ],
    )
    def test_kubeconfig_credentials_replaced(self, field: str, piped: Any, objs: Any) -> None:
        """Each kubeconfig credential (client key, token, auth-provider, exec env) is replaced."""
        for path, docs in _both_paths("kubeconfig.yaml", piped, objs):
            found = []
            for user in docs[0]["users"]:
                u = user["user"]
                cands = [u, u.get("auth-provider", {}).get("config", {})]
                cands += [{e["name"]: e["value"]} for e in u.get("exec", {}).get("env", [])]
                found += [c[field] for c in cands if field in c]
            assert found, field
            assert all(is_redacted(v) for v in found), (path, field)

    def test_kubeconfig_public_fields_kept(self, piped: Any, objs: Any) -> None:
        """CA data, servers, client-id, issuer URL, cmd-path, token-key and exec args are kept."""
        want = parse("kubeconfig.yaml", read("kubeconfig.yaml"))[0]
        for path, docs in _both_paths("kubeconfig.yaml", piped, objs):
            got = docs[0]
            assert got["clusters"] == want["clusters"], path
            assert got["contexts"] == want["contexts"], path
            oidc = got["users"][3]["user"]["auth-provider"]["config"]
            assert (
                oidc["client-id"] == "kubernetes"
                and oidc["idp-issuer-url"] == "https://dex.example.com"
            ), path
            gcp = got["users"][4]["user"]["auth-provider"]["config"]
            assert gcp["token-key"] == "{.credential.access_token}", path
            assert gcp["cmd-path"] == "/usr/lib/google-cloud-sdk/bin/gcloud", path
            exec_ = got["users"][5]["user"]["exec"]
            assert exec_["args"] == want["users"][5]["user"]["exec"]["args"], path
            assert exec_["env"][0] == {"name": "AWS_PROFILE", "value": "payments-prod"}, path

    def test_audit_token_request_token_replaced(self, piped: Any, objs: Any) -> None:
        """An audit TokenRequest responseObject token is replaced; the empty request token kept."""
        for path, docs in _both_paths("audit-events.jsonl", piped, objs):
            event = docs[2]
            assert is_redacted(event["responseObject"]["status"]["token"]), path
            assert event["requestObject"]["status"]["token"] == "", path
            assert event["responseObject"]["spec"] == event["requestObject"]["spec"], path

    def test_audit_managed_fields_kept(self, piped: Any, objs: Any) -> None:
        """managedFields (f:partner-token: {}) name fields and hold no values: kept."""
        want = parse("audit-events.jsonl", read("audit-events.jsonl"))[0]["responseObject"][
            "metadata"
        ]["managedFields"]
        for path, docs in _both_paths("audit-events.jsonl", piped, objs):
            assert docs[0]["responseObject"]["metadata"]["managedFields"] == want, path

    def test_helm_release_value_replaced(self, piped: Any, objs: Any) -> None:
        """The one long base64 value of a Helm release Secret is replaced; its labels are kept."""
        want = parse("secret-helm-release.yaml", read("secret-helm-release.yaml"))[0]
        for path, docs in _both_paths("secret-helm-release.yaml", piped, objs):
            assert is_redacted(docs[0]["data"]["release"]), path
            assert docs[0]["metadata"] == want["metadata"], path

    def test_describe_secret_keeps_byte_counts(self, piped: Any) -> None:
        """kubectl describe secret: byte counts stay, the clear-text service-account token goes."""
        out = piped("describe-secret.txt").splitlines()
        want = [
            line for line in read("describe-secret.txt").splitlines() if line.endswith(" bytes")
        ]
        assert [line for line in out if line.endswith(" bytes")] == want
        token_line = next(line for line in out if line.startswith("token:"))
        assert token_line.startswith("token:      [REDACTED:") and token_line.endswith("]")


class TestJsonLogLines:
    """JSON log lines: still valid JSON, same keys and order, values in escaped JSON found."""

    LINES = read("json-logs.jsonl").splitlines()

    def test_escaped_json_in_json(self, redactor: Redactor) -> None:
        """A token inside an escaped JSON msg is redacted; msg still parses with the same keys."""
        out = json.loads(redactor.redact(self.LINES[5]))
        inner = json.loads(out["msg"])
        assert list(inner) == ["event", "token", "client_id"]
        assert is_redacted(inner["token"]) and inner["client_id"] == "orders-web"

    def test_card_number_logged_as_int(self, redactor: Redactor) -> None:
        """A card number logged as a JSON number is redacted and the line stays valid JSON."""
        out = redactor.redact(self.LINES[7])
        parsed = json.loads(out)
        assert isinstance(parsed["card_number"], str) and is_redacted(parsed["card_number"])
        assert parsed["amount"] == 1299

    def test_card_number_int_in_object(self, redactor: Redactor) -> None:
        """redact_obj turns a card number int into its placeholder string; other ints stay ints."""
        out = redactor.redact_obj(json.loads(self.LINES[7]))
        assert isinstance(out["card_number"], str) and is_redacted(out["card_number"])
        assert out["amount"] == 1299

    def test_guards_keep_values(self, redactor: Redactor) -> None:
        """null, "", ${VAR}, {{ .Values }}, placeholders, booleans under sensitive keys stay."""
        line = self.LINES[8]
        assert redactor.redact(line) == line
        obj = json.loads(line)
        same = redactor.redact_obj(obj) == obj
        assert same

    def test_key_order_kept_compact_and_spaced(self, redactor: Redactor) -> None:
        """zap/logrus/pino (compact) and structlog (spaced) lines keep their keys and order."""
        for line in self.LINES:
            assert key_paths(json.loads(redactor.redact(line))) == key_paths(json.loads(line))

    def test_untouched_line_byte_identical(self, redactor: Redactor) -> None:
        """A line with nothing to redact comes through byte for byte (pipe) and equal (object)."""
        line = self.LINES[6]
        assert redactor.redact(line) == line
        obj = json.loads(line)
        same = redactor.redact_obj(obj) == obj
        assert same


# ---------------------------------------------------------------------------- (c) properties

_rng = random.Random(7)


def _fake(n: int) -> str:
    return "".join(_rng.choice(string.ascii_letters + string.digits) for _ in range(n))


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


SENSITIVE_KEYS = [
    "password",
    "db_password",
    "DB_PASSWORD",
    "passwd",
    "pwd",
    "secret",
    "clientSecret",
    "client_secret",
    "token",
    "access_token",
    "refresh_token",
    "id_token",
    "api_key",
    "apiKey",
    "x-api-key",
    "X-Api-Key",
    "AWS_SECRET_ACCESS_KEY",
    "private_key",
    "credentials",
    "authorization",
    "Authorization",
    "cookie",
    "set-cookie",
    "session",
    "connection_string",
    "dsn",
    "client-key-data",
    "pin",
]
OTHER_KEYS = [
    "name",
    "value",
    "kind",
    "data",
    "stringData",
    "msg",
    "level",
    "env",
    "token_count",
    "max_tokens",
    "secretName",
    "secretKeyRef",
    "password_changed_at",
    "uid",
    "trace_id",
    "count",
    "items",
    "metadata",
    "key",
    "apiVersion",
    "annotations",
]
FAKE_VALUES = [
    _fake(24),
    _fake(40),
    "password=" + _fake(12),
    f"postgres://app:{_fake(16)}@db:5432/x",
    "Bearer " + _fake(40),
    _b64("password=" + _fake(14)),
    _b64(_fake(30)),
    "4539578763621486",
    "${DB_PASSWORD}",
    "{{ .Values.db.password }}",
    "[REDACTED]",
    "",
    "true",
    "null",
    "info",
    "4bf92f3577b34da6a3ce929d0e0e4736",
    "6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f",
    "sha256:" + "ab" * 32,
    "orders-7d9f8b6c5-x2x9q",
    "password: " + _fake(10) + "\nuser: app\n",
]

keys = st.sampled_from(SENSITIVE_KEYS + OTHER_KEYS) | st.text(
    alphabet=string.ascii_letters + "_-.", min_size=1, max_size=12
)
scalars = (
    st.sampled_from(FAKE_VALUES)
    | st.text(max_size=30)
    | st.integers(-(10**18), 10**18)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
    | st.none()
    | st.just(4539578763621486)
)


def _env_pair(name: str, value: Any) -> dict[str, Any]:
    return {"name": name, "value": value}


def _secret(data: dict[str, str]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Secret", "data": data}


secret_objects = st.builds(_secret, st.dictionaries(keys, st.sampled_from(FAKE_VALUES), max_size=3))


def _extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Lists, dicts, env name/value pairs and JSON-in-a-string of smaller values."""
    return (
        st.lists(children, max_size=4)
        | st.dictionaries(keys, children, max_size=5)
        | st.builds(_env_pair, keys, children)
        | st.builds(json.dumps, st.dictionaries(keys, children, max_size=3))
    )


json_like = st.recursive(scalars | secret_objects, _extend, max_leaves=20)
documents = st.dictionaries(keys, json_like, max_size=6)


class TestProperties:
    """Hypothesis properties of redact_obj and redact on JSON lines and fixtures."""

    @given(documents)
    def test_redact_obj_never_mutates(self, redactor: Redactor, doc: dict[str, Any]) -> None:
        """redact_obj never mutates its input."""
        before = copy.deepcopy(doc)
        redactor.redact_obj(doc)
        same = doc == before
        assert same

    @given(documents)
    def test_redact_obj_idempotent(self, redactor: Redactor, doc: dict[str, Any]) -> None:
        """redact_obj(redact_obj(x)) == redact_obj(x)."""
        once = redactor.redact_obj(doc)
        same = redactor.redact_obj(once) == once
        assert same

    @given(documents, st.booleans(), st.booleans())
    def test_json_line_keeps_keys(
        self, redactor: Redactor, doc: dict[str, Any], compact: bool, ascii_only: bool
    ) -> None:
        """json.dumps of a dict with sensitive keys redacts to JSON with the same keys in order."""
        line = json.dumps(doc, separators=(",", ":") if compact else None, ensure_ascii=ascii_only)
        out = redactor.redact(line)
        assert "\n" not in out
        assert key_paths(json.loads(out)) == key_paths(doc)

    @settings(max_examples=max(300, settings().max_examples))  # cheap: a few lines each
    @given(st.sampled_from(FIXTURES), st.integers(0, 10**6), st.integers(1, 40))
    def test_redact_idempotent_on_fixture_slices(
        self, redactor: Redactor, name: str, start: int, length: int
    ) -> None:
        """Redactor().redact is idempotent on any run of lines from any fixture."""
        lines = read(name).splitlines(keepends=True)
        first = start % len(lines)
        text = "".join(lines[first : first + length])
        once = redactor.redact(text)
        assert redactor.redact(once) == once
