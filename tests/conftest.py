"""Shared fixtures.  Hypothesis runs a short smoke by default; HYPOTHESIS_PROFILE=long for more."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from k8s_redact import Policy, Redactor

settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=3000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def redactor() -> Redactor:
    """The default policy over the built-in packs (Hyperscan when installed)."""
    return Redactor()


@pytest.fixture(scope="session")
def regex_redactor() -> Redactor:
    """The same rules through the pure-regex keyword prefilter."""
    return Redactor(Policy(engine="regex"))


@pytest.fixture(scope="session")
def small_window_redactor() -> Redactor:
    """Small max_line so property tests exercise long-line windows; the overlap leaves room
    for the longest canary (a service-account JWT of about 1 KB) and its context."""
    return Redactor(Policy(max_line=4096, overlap=3072))
