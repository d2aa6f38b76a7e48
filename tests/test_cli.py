"""The k8s-redact pipe, run as a real process through real pipes."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from .corpus import MINI_PACK

CMD = [sys.executable, "-m", "k8s_redact"]
MINI = [*CMD, "--no-builtin-rules", "-r", MINI_PACK]
TOKEN = "tok_abcdefghijklmnopqrstuvwx"
ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], data: bytes = b"", **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(args, input=data, capture_output=True, timeout=60, **kwargs)  # type: ignore[call-overload, no-any-return]


def _readline(proc: subprocess.Popen[bytes], timeout: float = 10.0) -> bytes:
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    deadline = time.monotonic() + timeout
    buf = b""
    while not buf.endswith(b"\n"):
        left = deadline - time.monotonic()
        assert left > 0, "no complete line within the timeout"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 4096)
            assert chunk, "stdout closed"
            buf += chunk
    return buf


class TestPipe:
    def test_redacts_stdin(self) -> None:
        """stdin to stdout, one line out per line in."""
        out = run(MINI, f"a {TOKEN}\nb\n".encode())
        assert out.returncode == 0
        assert out.stdout == b"a [REDACTED:test-token]\nb\n"

    def test_line_flushed_while_writer_stays_open(self) -> None:
        """Following a live stream: each line appears before the writer closes (kubectl logs -f)."""
        with subprocess.Popen(MINI, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) as proc:
            assert proc.stdin is not None
            for i in range(3):
                proc.stdin.write(f"line {i} {TOKEN}\n".encode())
                proc.stdin.flush()
                assert _readline(proc) == f"line {i} [REDACTED:test-token]\n".encode()
            proc.stdin.close()
            proc.wait(timeout=10)
        assert proc.returncode == 0

    def test_files_and_missing_file(self, tmp_path: Path) -> None:
        """Files are read in order; a missing one is reported and exits 3."""
        f = tmp_path / "a.log"
        f.write_bytes(f"{TOKEN}\n".encode())
        ok = run([*MINI, str(f), str(f)])
        assert ok.stdout == b"[REDACTED:test-token]\n" * 2
        bad = run([*MINI, str(f), str(tmp_path / "missing.log")])
        assert bad.returncode == 3 and b"missing.log" in bad.stderr
        assert bad.stdout == b"[REDACTED:test-token]\n"

    def test_invalid_utf8_and_binary(self) -> None:
        """Invalid UTF-8 and binary bytes pass through byte for byte outside findings."""
        data = b"\x00\x01\xff\xfe\xc3(" + TOKEN.encode() + b"\x80\n\x89PNG\r\n\x1a\n"
        out = run(MINI, data)
        assert out.returncode == 0
        assert out.stdout == b"\x00\x01\xff\xfe\xc3([REDACTED:test-token]\x80\n\x89PNG\r\n\x1a\n"

    def test_no_trailing_newline(self) -> None:
        """A last line without newline comes out without one."""
        assert run(MINI, TOKEN.encode()).stdout == b"[REDACTED:test-token]"


class TestModes:
    def test_check(self) -> None:
        """--check writes nothing and exits 1 when something would be redacted, 0 otherwise."""
        found = run([*MINI, "--check"], f"x {TOKEN}\n".encode())
        assert found.returncode == 1 and found.stdout == b""
        assert b"test-token: 1" in found.stderr and TOKEN.encode() not in found.stderr
        clean = run([*MINI, "--check"], b"nothing here\n")
        assert clean.returncode == 0 and clean.stdout == b""

    def test_stats_never_values(self) -> None:
        """--stats prints per-rule counts as JSON on stderr, never a matched value."""
        out = run([*MINI, "--stats"], f"{TOKEN}\n{TOKEN} 1234-5678\n".encode())
        stats = json.loads(out.stderr)["k8s_redact_stats"]
        assert stats["by_rule"] == {"test-token": 2, "test-digits": 1}
        assert stats["redactions"] == 3
        assert TOKEN.encode() not in out.stderr and b"1234-5678" not in out.stderr

    def test_enable_disable_operator(self) -> None:
        """Categories and rules switch on and off; operators apply."""
        ip = b"from 10.0.0.1\n"
        assert run(MINI, ip).stdout == ip
        assert run([*MINI, "--enable", "network"], ip).stdout == b"from [REDACTED:test-ip]\n"
        assert run([*MINI, "-d", "test-token"], TOKEN.encode()).stdout == TOKEN.encode()
        masked = run([*MINI, "-o", "mask"], TOKEN.encode()).stdout
        assert masked.startswith(b"tok_") and b"*" in masked

    def test_hash_without_key_is_usage_error(self) -> None:
        """-o hash without a key exits 2 with a clear message."""
        env = {k: v for k, v in os.environ.items() if k != "K8S_REDACT_HASH_KEY"}
        out = run([*MINI, "-o", "hash"], b"", env=env)
        assert out.returncode == 2 and b"needs a key" in out.stderr
        keyed = run([*MINI, "-o", "hash"], TOKEN.encode(), env={**env, "K8S_REDACT_HASH_KEY": "k"})
        assert keyed.returncode == 0 and keyed.stdout.startswith(b"[REDACTED:test-token:")

    def test_list_rules(self) -> None:
        """--list-rules shows every rule and whether it is on."""
        out = run([*MINI, "--list-rules"])
        rows = [line.split("\t") for line in out.stdout.decode().splitlines()]
        assert rows[-1][:3] == ["test-ip", "network", "off"]
        assert rows[0][:3] == ["test-token", "secret", "on"]


class TestRulesCommand:
    def test_rules_test_ok_and_failing(self, tmp_path: Path) -> None:
        """rules test exits 0 for a good pack and 1 naming rule/example/context for a bad one."""
        assert run([*CMD, "rules", "test", MINI_PACK]).returncode == 0
        pack = tmp_path / "p.yaml"
        pack.write_text("""
rules:
  - id: weak
    category: secret
    description: misses its own example
    keywords: [key]
    pattern: 'key=([a-z]{8})'
    secret_group: 1
    examples:
      positive: [{text: "key=abcdefgh", secret: abcdefgh}, {text: "key=ABCDEFGH", secret: ABCDEFGH}]
      negative: ["key=abc", "nothing"]
""")
        out = run([*CMD, "rules", "test", str(pack)])
        assert out.returncode == 1
        assert b"FAIL weak: positive[1] in raw: nothing redacted" in out.stdout
        assert b"ABCDEFGH" not in out.stdout

    def test_bad_pack_is_clear_error(self, tmp_path: Path) -> None:
        """An invalid pack: exit 2, file + rule + field in one line, no traceback."""
        pack = tmp_path / "bad.yaml"
        pack.write_text("rules:\n  - {id: my-rule, category: secret, description: d, pattern: '(', "
                        "examples: {positive: [], negative: []}}\n")
        for args in ([*CMD, "-r", str(pack)], [*CMD, "rules", "test", str(pack)]):
            out = run(args, b"x\n")
            assert out.returncode == 2
            assert b"bad.yaml: rule 'my-rule': field 'pattern'" in out.stderr
            assert b"Traceback" not in out.stderr


class TestSignals:
    def test_head_closes_pipe(self) -> None:
        """| head: a closed output pipe ends the command quietly."""
        big = (f"line {TOKEN}\n" * 200000).encode()
        with subprocess.Popen(f"{' '.join(MINI)} | head -n 1", shell=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) as proc:
            out, err = proc.communicate(big, timeout=60)
        assert out == b"line [REDACTED:test-token]\n"
        assert b"Traceback" not in err and b"Error" not in err

    def test_ctrl_c_flushes_and_exits_130(self) -> None:
        """Ctrl-C: the partial line already read is redacted and written, exit 130."""
        with subprocess.Popen(MINI, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) as proc:
            assert proc.stdin is not None and proc.stdout is not None
            assert proc.stderr is not None
            proc.stdin.write(f"first {TOKEN}\npartial {TOKEN}".encode())
            proc.stdin.flush()
            assert _readline(proc) == b"first [REDACTED:test-token]\n"
            time.sleep(0.2)
            proc.send_signal(signal.SIGINT)
            rest = proc.stdout.read()
            proc.wait(timeout=10)
            err = proc.stderr.read()
            proc.stdin.close()
        assert proc.returncode == 130
        assert rest == b"partial [REDACTED:test-token]"
        assert b"Traceback" not in err


def test_readme_sample_runs() -> None:
    """The README's first command: the bundled sample goes through with default rules."""
    out = run([*CMD, "--stats", str(ROOT / "examples" / "k8s-sample.log")])
    assert out.returncode == 0
    text = out.stdout.decode()
    assert text.count("\n") == (ROOT / "examples" / "k8s-sample.log").read_text().count("\n")
    for secret in ("S3cr3t-Pa55w0rd", "AKIAZ7Q3XKSJ2MFL4WNB", "ghp_Ab3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6",
                   "4111 1111 1111 1111", "jane.doe@example.com", "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMx"):
        assert secret not in text
    for kept in ("4bf92f3577b34da6a3ce929d0e0e4736", "web-7d9f8b6c5-x2x9q",
                 "6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f", "1f0e3dad99908345f7439f8ffabdffc4e6a2c6b9",
                 "password reset requested", "max_tokens", "${DB_PASSWORD}"):
        assert kept in text


class TestFormats:
    def test_json_format_is_structural(self) -> None:
        """--format json redacts every JSON line key-aware; other lines go through the rules."""
        data = b'{"a":"x","password":"tr0ub4dor&3","n":1}\n{"b": 2}\nplain password=hunter2\n'
        out = run([*CMD, "--format", "json"], data).stdout.splitlines()
        assert json.loads(out[0]) == {"a": "x", "password": "[REDACTED:sensitive-key-value]", "n": 1}
        assert out[1] == b'{"b": 2}'
        assert out[2] == b"plain password=[REDACTED:sensitive-key-value]"

    def test_yaml_format_knows_the_kind(self) -> None:
        """--format yaml: Secret data goes whatever it looks like; ConfigMap data stays."""
        import yaml

        data = (b"apiVersion: v1\nkind: ConfigMap\ndata:\n  blob: YWRtaW4xMjM0\n---\n"
                b"apiVersion: v1\nkind: Secret\ndata:\n  user: admin-x\n")
        out = run([*CMD, "--format", "yaml"], data)
        configmap, secret = yaml.safe_load_all(out.stdout)
        assert configmap["data"] == {"blob": "YWRtaW4xMjM0"}
        assert secret["data"] == {"user": "[REDACTED:kubernetes-secret-data]"}

    def test_yaml_format_falls_back_to_rules(self) -> None:
        """Input that is not YAML is still redacted by the rules, never passed raw."""
        out = run([*MINI, "--format", "yaml"], f"key: [unclosed {TOKEN}\n".encode())
        assert TOKEN.encode() not in out.stdout and out.returncode == 0
