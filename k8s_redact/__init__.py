"""k8s-redact: strip secrets, credentials and personal data from Kubernetes observability data.

>>> import k8s_redact
>>> k8s_redact.redact("password=hunter2 pod=web-7d9f8b6c5-x2x9q")
'password=[REDACTED:sensitive-key-value] pod=web-7d9f8b6c5-x2x9q'
"""

from __future__ import annotations

from ._errors import K8sRedactError, MissingExtraError, PolicyError, RulePackError
from ._loader import builtin_pack_paths, load_pack, load_packs
from ._model import Allowlist, Finding, PositiveExample, Rule
from ._operators import OperatorSpec, placeholder
from ._policy import Policy
from ._redactor import Redactor, default_redactor, redact, scan

__version__ = "0.1.0"

__all__ = [
    "Allowlist",
    "Finding",
    "K8sRedactError",
    "MissingExtraError",
    "OperatorSpec",
    "Policy",
    "PolicyError",
    "PositiveExample",
    "Redactor",
    "Rule",
    "RulePackError",
    "__version__",
    "builtin_pack_paths",
    "default_redactor",
    "load_pack",
    "load_packs",
    "placeholder",
    "redact",
    "scan",
]
