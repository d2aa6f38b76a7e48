"""Documentation examples are run: docstring examples, the README's library snippet."""

from __future__ import annotations

import doctest

import k8s_redact
from k8s_redact import _redactor


class TestDocExamples:
    def test_docstrings(self) -> None:
        """Every >>> example in the public modules gives the output it shows."""
        for module in (k8s_redact, _redactor):
            result = doctest.testmod(module)
            assert result.attempted > 0 and result.failed == 0, module.__name__

    def test_readme_library_example(self) -> None:
        """The README's redact() example is what the library prints."""
        from pathlib import Path

        readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
        assert "'password=[REDACTED:sensitive-key-value]'" in readme
        assert k8s_redact.Redactor().redact("password=hunter2") == "password=[REDACTED:sensitive-key-value]"
