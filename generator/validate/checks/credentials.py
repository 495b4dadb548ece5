"""credential_list: each item as the proxy builds it (CredentialItem), and the model_list
entries that name a credential (litellm_params.litellm_credential_name).
"""
from __future__ import annotations

from generator.boundary.marked import Mapping, Scalar, Sequence, data_of, value_of
from generator.validate import lax
from generator.validate.checks.context import Context, Source, env_name, is_null
from generator.validate.checks.model_list import entry_label

# What CredentialItem (pydantic) needs of each credential_list item, on every recorded
# release (tests/oracle/realistic/): field -> (is it right, what it must be).
_CREDENTIAL_FIELDS = {
    "credential_name": (lambda n: isinstance(n, Scalar) and isinstance(value_of(n), str),
                        "a string"),
    "credential_values": (lambda n: isinstance(n, Mapping), "a mapping (api_key: ..., ...)"),
    "credential_info": (lambda n: isinstance(n, Mapping), "a mapping ({} when there is "
                                                          "nothing to say)"),
}


def check_credentials(merged: dict, ctx: Context) -> None:
    """credential_list as the proxy builds it after the router (CredentialItem for each item),
    and the entries that name a credential with litellm_params.litellm_credential_name."""
    names: set[str] = set()
    for source, value in merged.get("credential_list", []):
        if isinstance(value, Sequence):
            for item in value.items:
                names.update(_check_credential(source, item, ctx))
        elif not is_null(value) and data_of(value):
            ctx.add(source, value, "credential-shape",
                    f"credential_list is {lax.kind_of(data_of(value))}, not a list of "
                    "credentials (- credential_name:, credential_values:, credential_info:): "
                    "the proxy will not start")
    for source, entry in ctx.credential_refs:
        _check_credential_reference(source, entry, names, ctx)
    ctx.credential_refs.clear()


def _check_credential(source: Source, item, ctx: Context) -> list[str]:
    """The faults of one credential_list item; its name when it has one."""
    if not isinstance(item, Mapping):
        ctx.add(source, item, "credential-shape",
                "each credential_list item must be a mapping (credential_name:, "
                "credential_values:, credential_info:): the proxy will not start")
        return []
    for field_name, (right, wanted) in _CREDENTIAL_FIELDS.items():
        node = item.get(field_name)
        if node is None and field_name not in item:
            ctx.add(source, item, "credential-shape",
                    f"this credential has no {field_name}: the proxy will not start "
                    f"(CredentialItem: Field required); write {field_name}: as {wanted}")
        elif not right(node):
            ctx.add(source, node, "credential-shape",
                    f"credential {field_name} must be {wanted}: the proxy will not start "
                    "(CredentialItem validation error)")
    name = item.get("credential_name")
    return [value_of(name)] if isinstance(name, Scalar) and isinstance(value_of(name), str) \
        else []


def _check_credential_reference(source: Source, entry, names: set[str], ctx: Context) -> None:
    params = entry.get("litellm_params") if isinstance(entry, Mapping) else None
    node = params.get("litellm_credential_name") if isinstance(params, Mapping) else None
    if not isinstance(node, Scalar) or not isinstance(value_of(node), str) \
            or value_of(node) in names or env_name(value_of(node)) is not None:
        return
    ctx.add(source, node, "credential-unknown",
            f"{entry_label(entry.get('model_name'))}: litellm_credential_name "
            f"{value_of(node)!r} is no credential_list item's credential_name: the proxy starts, "
            "and requests to this model go without its values (\"Credential ... not found in "
            "credential_list\") unless the proxy's database holds it")
