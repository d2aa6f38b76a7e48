"""The public API: redact, redact_bytes, scan, operators, thread safety, no leaks in findings."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

import k8s_redact
from k8s_redact import Finding, OperatorSpec, Policy, PolicyError, Redactor
from k8s_redact.testing import FakeSecrets, assert_no_leaks

from .corpus import MINI_PACK, OBSERVER_IDENTIFIERS, PLAIN_LINES, canaries

TOKEN = "tok_abcdefghijklmnopqrstuvwx"


def _mini(**kwargs: object) -> Redactor:
    return Redactor(Policy(builtin_rules=False, rule_packs=(MINI_PACK,), **kwargs))  # type: ignore[arg-type]


class TestRedact:
    def test_every_canary_redacted(self, redactor: Redactor) -> None:
        """A fake secret for every default rule is removed by the default policy."""
        for canary in canaries():
            assert_no_leaks(redactor.redact(canary.line), [canary.secret])

    def test_observer_identifiers_survive(self, redactor: Redactor) -> None:
        """Trace ids, UUIDs, pod names, digests, SHAs... come through the default policy."""
        for name, value in OBSERVER_IDENTIFIERS.items():
            for line in (value, f"{name}={value}", f'{{"{name}":"{value}"}}'):
                assert redactor.redact(line) == line, name

    def test_plain_lines_untouched(self, redactor: Redactor) -> None:
        """Ordinary log lines pass byte for byte."""
        for line in PLAIN_LINES:
            assert redactor.redact(line) == line

    def test_module_level_helpers(self) -> None:
        """k8s_redact.redact/scan use one cached default Redactor."""
        assert k8s_redact.default_redactor() is k8s_redact.default_redactor()
        line = canaries()[0].line
        assert k8s_redact.redact(line) == k8s_redact.default_redactor().redact(line)
        assert k8s_redact.scan(line)


class TestBytes:
    def test_invalid_utf8_preserved(self) -> None:
        """Bytes outside findings, invalid UTF-8 included, are preserved byte for byte."""
        r = _mini()
        data = b"\xff\xfe bad \xc3( " + TOKEN.encode() + b" \x80\x81\n\x00binary\x01\n"
        out = r.redact_bytes(data)
        assert out == b"\xff\xfe bad \xc3( [REDACTED:test-token] \x80\x81\n\x00binary\x01\n"

    @given(st.binary(max_size=300))
    def test_random_bytes_round_trip(self, data: bytes) -> None:
        """Arbitrary bytes without findings come back unchanged."""
        r = _mini()
        if not r.scan_bytes(data):
            assert r.redact_bytes(data) == data

    def test_non_ascii_offsets(self) -> None:
        """scan() offsets are character offsets for str, byte offsets for bytes."""
        r = _mini()
        text = "héllo wörld " + TOKEN
        [finding] = r.scan(text)
        assert text[finding.start:finding.end] == TOKEN
        [bfinding] = r.scan_bytes(text.encode())
        assert text.encode()[bfinding.start:bfinding.end] == TOKEN.encode()

    def test_surrogates_in_str(self) -> None:
        """Lone surrogates in str input survive a round trip."""
        r = _mini()
        text = "a\udcff b " + TOKEN
        assert r.redact(text) == "a\udcff b [REDACTED:test-token]"


class TestFindings:
    def test_finding_has_no_value(self) -> None:
        """A Finding carries rule id, category and offsets only."""
        assert set(Finding.__slots__) == {"rule_id", "category", "start", "end"}  # type: ignore[attr-defined]

    @given(st.sampled_from(range(40)), st.text(max_size=30), st.text(max_size=30))
    def test_findings_never_contain_values(self, index: int, before: str, after: str) -> None:
        """No part of a Finding's repr ever contains the secret it points at."""
        canary = canaries()[index % len(canaries())]
        text = before + canary.line + after
        for finding in k8s_redact.scan(text):
            assert canary.secret not in repr(finding)
            assert canary.secret not in str(finding)


class TestOperators:
    def test_mask(self) -> None:
        """mask keeps a few leading characters, never more than a quarter."""
        r = _mini(operator=OperatorSpec("mask", keep_start=4))
        assert r.redact(TOKEN) == "tok_" + "*" * (len(TOKEN) - 4)
        r = _mini(operator=OperatorSpec("mask", keep_start=100))
        assert r.redact(TOKEN) == TOKEN[:7] + "*" * (len(TOKEN) - 7)

    def test_hash_is_keyed_and_stable(self) -> None:
        """The same value and key give the same token; another key gives another."""
        a = _mini(operator="hash", hash_key="k1")
        b = _mini(operator="hash", hash_key="k2")
        assert a.redact(TOKEN) == a.redact(TOKEN)
        assert a.redact(TOKEN) != b.redact(TOKEN)
        assert a.redact(TOKEN).startswith("[REDACTED:test-token:")
        assert a.redact(TOKEN) != a.redact(TOKEN.upper())

    def test_hash_needs_key(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """No silent unkeyed hashing: a missing key is a PolicyError."""
        monkeypatch.delenv("K8S_REDACT_HASH_KEY", raising=False)
        with pytest.raises(PolicyError, match="needs a key"):
            _mini(operator="hash")
        monkeypatch.setenv("K8S_REDACT_HASH_KEY", "from-env")
        assert _mini(operator="hash").redact(TOKEN).startswith("[REDACTED:test-token:")

    def test_drop_and_per_rule(self) -> None:
        """Operators are chosen per rule, then per category, then the default."""
        r = _mini(operator="replace", rule_operators={"test-token": "drop"},
                  category_operators={"pii": "mask"})
        # 9 characters: a quarter is 2, so "12" stays and 7 stars follow.
        assert r.redact(f"a {TOKEN} b 1234-5678") == "a  b 12*******"

    def test_unknown_names_rejected(self) -> None:
        """Typos in policies fail loudly."""
        with pytest.raises(PolicyError, match="unknown rule id or category"):
            _mini(disable=frozenset({"test-tokn"}))
        with pytest.raises(PolicyError, match="unknown operator"):
            OperatorSpec("scramble")


class TestSharing:
    def test_threads_share_one_redactor(self, redactor: Redactor) -> None:
        """One Redactor used from 8 threads at once gives the single-threaded results."""
        lines = [c.line for c in canaries()] + PLAIN_LINES
        expected = [redactor.redact(line) for line in lines]
        errors: list[str] = []

        def work() -> None:
            for _ in range(3):
                if [redactor.redact(line) for line in lines] != expected:
                    errors.append("mismatch")

        threads = [threading.Thread(target=work) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors

    def test_user_allowlist(self) -> None:
        """Policy allow_values / allow_patterns keep chosen values."""
        r = _mini(allow_values=frozenset({TOKEN}))
        assert r.redact(TOKEN) == TOKEN
        r = _mini(allow_patterns=("^tok_abc",))
        assert r.redact(TOKEN) == TOKEN


class TestTestingHelpers:
    def test_assert_no_leaks_hides_values(self) -> None:
        """assert_no_leaks names leaked secrets without printing them."""
        with pytest.raises(AssertionError) as info:
            assert_no_leaks("xx " + TOKEN, ["absent", TOKEN])
        assert TOKEN not in str(info.value) and "#1" in str(info.value)

    def test_fake_secrets_are_new(self, redactor: Redactor) -> None:
        """Most fake secrets differ from the rule's own examples and are redacted."""
        fakes = list(FakeSecrets(redactor, seed=3).canaries())
        fresh = 0
        for canary in fakes:
            rule = next(r for r in redactor.rules if r.id == canary.rule_id)
            examples = {s for p in rule.positives for s in p.secrets}
            fresh += canary.secret not in examples
            assert_no_leaks(redactor.redact(canary.line), [canary.secret])
        assert fresh >= 0.7 * len(fakes)


class TestIdempotentOperators:
    def test_hash_and_mask_twice_equals_once(self) -> None:
        """Every operator's output is left alone by a second pass (hash tokens look like
        key:value, masks like tokens: neither is matched again)."""
        lines = "\n".join(c.line for c in canaries()) + "\n"
        for policy in (Policy(operator="hash", hash_key="k"), Policy(operator="mask")):
            r = Redactor(policy)
            once = r.redact(lines)
            assert r.redact(once) == once, policy.operator
            assert once.count("\n") == lines.count("\n")


class TestRealLogPrecision:
    LINES = (
        "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating",
        "nova-compute.log.1.2017-05-16_13:55:31 2017-05-16 00:00:04.500 2931 INFO nova.compute.manager [req-3ea4052c-895d-4b64-9e2d-04d64c4d94ab - - - - -] [instance: b9000564-fe1a-409b-b8cc-1e88b294cd1d] VM Started (Lifecycle Event)",
        "Dec 10 06:55:48 LabSZ sshd[24200]: Failed password for invalid user webmaster from 173.234.31.186 port 38926 ssh2",
        "03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogsopening app wtoken = AppWindowToken{9f4ef63 token=Token{a64f992 ActivityRecord{de9231d u0 com.tencent.qt.qtl/.activity.info.NewsDetailXmlActivity t761}}}, allDrawn= false",
        "2015-10-18 18:01:50,353 INFO [main] org.apache.hadoop.security.token.Token: Token kind: YARN_AM_RM_TOKEN, Service: , Ident: (appAttemptId { application_id { id: 20 cluster_timestamp: 1445144423722 } attemptId: 1 } keyId: -127633188)",
        "2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200",
        "nova.api.openstack.auth: token_auth_plugin: password auth_url: http://controller:5000/v3",
        "03-17 16:13:38.839  1702  8671 D PowerManagerService: acquire lock=233570404, flags=0x1, tag=\"View Lock\", name=com.android.systemui, ws=null, uid=10037, pid=2227",
        "- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected",
    )

    def test_system_logs_untouched(self, redactor: Redactor) -> None:
        """Loghub-style lines (HDFS, OpenStack, OpenSSH, Android, Hadoop, Zookeeper, BGL) pass
        unchanged apart from IP addresses, which the default policy keeps too."""
        for line in self.LINES:
            assert redactor.redact(line) == line
