"""Literal secrets written in a config: an API key, a password or a master key that is in
the file (and in git) instead of read from the environment (os.environ/NAME).
"""
from __future__ import annotations

import re
from functools import lru_cache

from generator.boundary import marked
from generator.boundary.marked import Mapping, value_of
from generator.boundary.secrets import is_reference, is_secret_key
from generator.validate.checks.context import Context, Source


@lru_cache(maxsize=4096)
def _secret_key(name: str) -> bool:
    return is_secret_key(name)  # the same few key names repeat in every entry


# Keys whose names look like secrets but hold names, module paths or file paths.
_NOT_SECRET_KEYS = frozenset({"credential_name", "litellm_credential_name", "custom_auth",
                              "custom_auth_settings", "custom_key_generate",
                              "key_management_system", "litellm_jwtauth", "enable_jwt_auth",
                              "custom_sso"})
_NOT_SECRET_VALUE = re.compile(r"^(?:[$€£]?\s*[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?|"
                               r"(?:\.{0,2}/|~/|[A-Za-z]:\\)[^\s]*|[^\s/]+\.json|"
                               r"[A-Za-z_][A-Za-z0-9_]{0,30}(?:\.[A-Za-z_][A-Za-z0-9_]{0,30})+)$")


# Helm charts (LiteLLM's deploy/charts/litellm-helm, the Bitnami postgresql and redis it
# uses) name a Kubernetes Secret and the key inside it: masterkeySecretKey, passwordKey, ...
_SECRET_REFERENCE_KEY = re.compile(
    r"existingSecret|secretKeys|[a-z]*(?:[A-Z][a-z0-9]*)*(?:SecretKey|SecretName|Secrets)|"
    r"[a-z]*(?:[A-Z][a-z0-9]*)*(?:[Pp]assword|[Uu]sername|[Uu]ser|[Ee]ndpoint)Key")
# What such a key holds: a Secret's or a key's name, one case throughout (not a random key).
_SECRET_REFERENCE = re.compile(r"[a-z0-9]+(?:[-._][a-z0-9]+)*|[A-Z0-9]+(?:[-._][A-Z0-9]+)*")


def looks_like_secret(key: str, value: str) -> bool:
    """A literal under a secret-looking key that is a secret: not a name, path, module or price."""
    if key in _NOT_SECRET_KEYS or key.endswith(("_name", "_path", "_file")):
        return False
    if _SECRET_REFERENCE_KEY.fullmatch(key) and _SECRET_REFERENCE.fullmatch(value.strip()):
        return False
    return value.startswith("eyJ") or not _NOT_SECRET_VALUE.match(value.strip())


def check_literal_secrets(source: Source, root: Mapping, ctx: Context) -> None:
    for value, key in marked.all_scalars(root):
        if key is None or value.tag is not None or not value.value:
            continue
        if _secret_key(key.value) and isinstance(value_of(value), str) \
                and not is_reference(value.value) and looks_like_secret(key.value, value.value):
            ctx.add(source, value, "literal-secret",
                    f"{key.value} holds a literal secret (not shown): it is in the file and in "
                    f"git; write os.environ/NAME and set NAME where the proxy runs")
