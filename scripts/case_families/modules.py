"""What the proxy imports or sets up by name: callback modules, loggers, guardrails.

Modules beside the config that are present, missing, broken or of the wrong kind, for
every setting that names one; built-in callbacks by name; guardrails by vendor, by
module, by mode and by shape, and litellm_settings.guardrails (the older form).
"""
from __future__ import annotations

from case_families.config import BROKEN, MODULE, PLAIN, RAISES, RULES, Cases, Config, Mark, fmt

# A guardrail written as a module (guard.py beside the config).
GUARD_MODULE = ("from litellm.integrations.custom_guardrail import CustomGuardrail\n\n"
                "class MyGuard(CustomGuardrail):\n    pass\n")


def modules(cases: Cases) -> None:
    """Everything the proxy imports from the config's folder: present, missing, broken."""
    hooks = [("litellm_settings", "callbacks"), ("litellm_settings", "success_callback"),
             ("litellm_settings", "failure_callback"), ("litellm_settings", "post_call_rules"),
             ("litellm_settings", "audit_log_callbacks"),
             ("general_settings", "custom_auth"), ("general_settings", "custom_key_generate"),
             ("general_settings", "custom_sso"), ("general_settings", "custom_key_update"),
             ("general_settings", "custom_ui_sso_sign_in_handler")]
    variants = {
        "present": ({"hooks.py": MODULE}, "hooks.handler"),
        "present-in-package": ({"pkg/__init__.py": "", "pkg/hooks.py": MODULE},
                               "pkg.hooks.handler"),
        "module-missing": ({}, "hooks.handler"),
        "attribute-missing": ({"hooks.py": MODULE}, "hooks.nothing_here"),
        "syntax-error": ({"hooks.py": BROKEN}, "hooks.handler"),
        "raises-on-import": ({"hooks.py": RAISES}, "hooks.handler"),
        "installed-module": ({}, "os.path"),
        "no-dot": ({}, "hookshandler"),
        "file-elsewhere": ({"sub/hooks.py": MODULE}, "hooks.handler"),
        "not-a-logger": ({"hooks.py": PLAIN}, "hooks.handler"),
        "a-class": ({"hooks.py": MODULE}, "hooks.Handler"),
        "a-function": ({"hooks.py": MODULE}, "hooks.check"),
        "star-import": ({"hooks.py": "from os.path import *\n"}, "hooks.join"),
    }
    for section, key in hooks:
        listed = key in ("callbacks", "success_callback", "failure_callback",
                         "audit_log_callbacks")
        for variant, (files, value) in variants.items():
            for as_list in ((True, False) if listed else (False,)):
                config = Config()
                config.add(section, Mark(f"{key}: {fmt([value] if as_list else value)}"))
                cases.add(section, f"module-{variant}", key,
                          f"{key}: {value}{' in a list' if as_list else ''}", config, files=files)
    # Built-in callbacks by name, as a list and as a plain string.
    for name in RULES["builtin_callbacks"]:
        for key in ("callbacks", "success_callback"):
            config = Config()
            config.add("litellm_settings", Mark(f"{key}: [{name}]"))
            cases.add("litellm_settings", "builtin-callback", key, f"{key}: [{name}]", config)
    for name in ("langfuse", "prometheus", "otel", "datadog", "s3", "langsmith"):
        for key in ("callbacks", "success_callback", "failure_callback"):
            config = Config()
            config.add("litellm_settings", Mark(f"{key}: {name}"))
            cases.add("litellm_settings", "string-not-list", key, f"{key}: {name} (a string)",
                      config)
    for name in ("langfuze", "prometeus", "no_such_logger", "Langfuse"):
        for key in ("callbacks", "success_callback"):
            config = Config()
            config.add("litellm_settings", Mark(f"{key}: [{name}]"))
            cases.add("litellm_settings", "unknown-callback", key, f"{key}: [{name}]", config)


def guardrails(cases: Cases) -> None:
    """Top-level guardrails (and litellm_settings.guardrails): vendors, modules, shapes."""
    _vendors(cases)
    _custom_guardrails(cases)
    _guardrail_shapes(cases)


def _guard(cases: Cases, lines: list[str], files=None, env=None, about="", kind="guardrail",
           key="guardrails") -> None:
    """A case whose top-level guardrails: holds `lines`."""
    config = Config()
    config.tail = ["guardrails:"] + lines
    cases.add("guardrails", kind, key, about, config, files=files, env=env)


def _named(guardrail: str, mode: str = "pre_call") -> list[str]:
    """One guardrail g1 of `guardrail` in `mode`, its guardrail: line marked."""
    return ["  - guardrail_name: g1", "    litellm_params:", Mark(f"      guardrail: {guardrail}"),
            f"      mode: {mode}"]


def _vendors(cases: Cases) -> None:
    """Every vendor the release knows, some with their variables, and unknown names."""
    for vendor in RULES.get("guardrail_vendors", []):
        for mode in ("pre_call",):
            _guard(cases, _named(vendor, mode), about=f"guardrail {vendor}", kind="vendor",
                   key=vendor)
    for vendor, env in (("presidio", {"PRESIDIO_ANALYZER_API_BASE": "http://127.0.0.1:9",
                                      "PRESIDIO_ANONYMIZER_API_BASE": "http://127.0.0.1:9"}),
                        ("lakera", {"LAKERA_API_KEY": "k-1"}), ("aporia", {"APORIA_API_KEY": "k"}),
                        ("hide-secrets", {})):
        _guard(cases, _named(vendor), env=env, about=f"guardrail {vendor} with its variables",
               kind="vendor-env", key=vendor)
    for word in ("presido", "lakera_v3", "no-such-guard", "Presidio"):
        _guard(cases, _named(word), about=f"guardrail {word}", kind="vendor-unknown", key=word)


def _custom_guardrails(cases: Cases) -> None:
    """A guardrail from a module beside the config, and each mode a guardrail may run in."""
    for variant, files, value in (
            ("present", {"guard.py": GUARD_MODULE}, "guard.MyGuard"),
            ("module-missing", {}, "guard.MyGuard"),
            ("class-missing", {"guard.py": GUARD_MODULE}, "guard.OtherGuard"),
            ("syntax-error", {"guard.py": BROKEN}, "guard.MyGuard"),
            ("not-a-class", {"guard.py": MODULE}, "guard.handler")):
        _guard(cases, _named(value), files=files, about=f"custom guardrail {value} ({variant})",
               kind=f"module-{variant}", key="guardrail")
    for mode in ("pre_call", "post_call", "during_call", "logging_only", "before_call",
                 "[pre_call, post_call]"):
        _guard(cases, ["  - guardrail_name: g1", "    litellm_params:",
                       "      guardrail: hide-secrets", Mark(f"      mode: {mode}")],
               about=f"mode {mode}", kind="mode", key="mode")


def _guardrail_shapes(cases: Cases) -> None:
    """guardrails: of every shape, and litellm_settings.guardrails (the older form)."""
    shapes = {
        "a mapping": [Mark("  g1:"), "    guardrail: hide-secrets", "    mode: pre_call"],
        "no litellm_params": [Mark("  - guardrail_name: g1"), "    guardrail: hide-secrets"],
        "no guardrail_name": [Mark("  - litellm_params:"), "      guardrail: hide-secrets",
                              "      mode: pre_call"],
        "no guardrail": ["  - guardrail_name: g1", Mark("    litellm_params:"),
                         "      mode: pre_call"],
        "no mode": ["  - guardrail_name: g1", "    litellm_params:",
                    Mark("      guardrail: hide-secrets")],
        "a string item": [Mark("  - hide-secrets")],
        "default_on": ["  - guardrail_name: g1", "    litellm_params:",
                       "      guardrail: hide-secrets", "      mode: pre_call",
                       Mark("      default_on: true")],
    }
    for about, lines in shapes.items():
        _guard(cases, lines, about=f"guardrails: {about}", kind="shape", key=about.split()[-1])
    config = Config()
    config.tail = [Mark("guardrails: hide-secrets")]
    cases.add("guardrails", "shape", "string", "guardrails: a string", config)
    # litellm_settings.guardrails (the older form)
    for value in ('[{"prompt_injection": {"callbacks": ["lakera_prompt_injection"]}}]',
                  '[{"hide": {"callbacks": ["hide_secrets"], "default_on": true}}]',
                  '{"prompt_injection": {"callbacks": ["x"]}}', '["lakera"]', 'hide'):
        config = Config()
        config.add("litellm_settings", Mark(f"guardrails: {value}"))
        cases.add("litellm_settings", "guardrail-v1", "guardrails",
                  f"litellm_settings.guardrails: {value}", config)
