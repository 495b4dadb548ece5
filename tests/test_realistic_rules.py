"""`litellm-gen validate` on what the realistic whole configs taught (tests/oracle/realistic/).

Each construct here was recorded on litellm 1.100.0, 1.106.12 and 1.110.2's own start-up
(scripts/gen_realistic.py, scripts/harness.py): a callback module that imports a module
beside the config, credential_list items of the wrong shape and references to credentials
that are not there, what an included file does to the main file's sections, and a built-in
logger that 1.110.2 will not start without its package. Small configs written for these
tests, through the real CLI.
"""
from __future__ import annotations

from pathlib import Path

from test_validate import GOOD, findings, validate, write

HANDLER = ("from litellm.integrations.custom_logger import CustomLogger\n{imports}\n\n"
           "class Handler(CustomLogger):\n    pass\n\n\nproxy_handler_instance = Handler()\n")
CALLBACK = GOOD + "litellm_settings:\n  callbacks: [custom_callbacks.proxy_handler_instance]\n"
OPENAI = ("model_list:\n  - model_name: gpt-4o\n    litellm_params:\n      model: openai/gpt-4o\n"
          "      litellm_credential_name: {name}\n"
          "general_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\n")


def rules_of(run) -> set[tuple[str, str]]:
    return {(r["rule"], r["sev"]) for r in findings(run.stdout)}


def test_a_callback_module_that_imports_a_module_beside_the_config_stops_the_start(
        tmp_path: Path) -> None:
    """The proxy runs the module from its file and never puts the config's folder on
    sys.path: `from helpers import ...` fails there (recorded on all three releases)."""
    config = write(tmp_path, CALLBACK)
    write(tmp_path, HANDLER.format(imports="from helpers import redact"), "custom_callbacks.py")
    write(tmp_path, "def redact(text):\n    return text\n", "helpers.py")
    run = validate(config)
    assert run.code == 1 and ("module-broken", "error") in rules_of(run)
    assert "imports helpers (line 2), which is beside the config" in run.stdout
    # With the folder on PYTHONPATH the import can work: nothing is claimed.
    run = validate(config, env={"PYTHONPATH": str(tmp_path)})
    assert run.code == 0, run.stdout


def test_imports_the_proxy_has_or_guards_do_not_stop_it(tmp_path: Path) -> None:
    config = write(tmp_path, CALLBACK)
    write(tmp_path, HANDLER.format(imports="import os\nimport requests\nimport yaml\n"
                                           "from litellm.proxy._types import UserAPIKeyAuth\n"
                                           "try:\n    import helpers\nexcept ImportError:\n"
                                           "    helpers = None"), "custom_callbacks.py")
    run = validate(config)
    assert run.code == 0, run.stdout


def test_a_relative_import_and_a_missing_package_stop_it(tmp_path: Path) -> None:
    config = write(tmp_path, CALLBACK)
    for imports, words in (("from .helpers import redact", "relatively"),
                           ("import presidio_redactor_extra", "neither beside the config")):
        write(tmp_path, HANDLER.format(imports=imports), "custom_callbacks.py")
        run = validate(config)
        assert run.code == 1 and words in run.stdout, run.stdout


def test_a_credential_without_credential_info_stops_the_start(tmp_path: Path) -> None:
    config = write(tmp_path, OPENAI.format(name="team") + "credential_list:\n"
                   "  - credential_name: team\n    credential_values:\n"
                   "      api_key: os.environ/OPENAI_API_KEY\n")
    run = validate(config, env={"OPENAI_API_KEY": "sk-x"})
    assert run.code == 1 and ("credential-shape", "error") in rules_of(run)
    assert "no credential_info" in run.stdout
    fixed = config.read_text() + "    credential_info: {}\n"
    run = validate(write(tmp_path, fixed), env={"OPENAI_API_KEY": "sk-x"})
    assert run.code == 0, run.stdout


def test_credential_list_as_a_mapping_and_values_as_a_list_stop_it(tmp_path: Path) -> None:
    for tail in ("credential_list:\n  team:\n    api_key: os.environ/OPENAI_API_KEY\n",
                 "credential_list:\n  - credential_name: team\n    credential_info: {}\n"
                 "    credential_values:\n      - api_key: os.environ/OPENAI_API_KEY\n"):
        run = validate(write(tmp_path, OPENAI.format(name="team") + tail))
        assert run.code == 1 and ("credential-shape", "error") in rules_of(run), run.stdout


def test_a_reference_to_no_credential_is_a_warning(tmp_path: Path) -> None:
    """The proxy starts and serves the model (recorded); its requests go without the
    credential's values."""
    run = validate(write(tmp_path, OPENAI.format(name="azure-eu")))
    assert run.code == 0 and ("credential-unknown", "warning") in rules_of(run)
    assert "'azure-eu' is no credential_list item's credential_name" in run.stdout


def test_an_included_null_model_list_drops_the_main_files_entries(tmp_path: Path) -> None:
    config = write(tmp_path, GOOD + "include:\n  - extra.yaml\n")
    write(tmp_path, "model_list:\nlitellm_settings:\n  drop_params: true\n", "extra.yaml")
    run = validate(config)
    rows = {(r["path"], r["rule"]) for r in findings(run.stdout)}
    assert run.code == 1 and (str(config), "include-replaces-model-list") in rows


def test_an_included_section_replaces_the_main_files_whole(tmp_path: Path) -> None:
    config = write(tmp_path, GOOD + "litellm_settings:\n  drop_params: true\n"
                   "include:\n  - extra.yaml\n")
    write(tmp_path, "litellm_settings:\n  num_retries: 2\n", "extra.yaml")
    run = validate(config)
    assert run.code == 0 and ("include-replaces-section", "warning") in rules_of(run)
    assert f"{config}:" in run.stdout and "litellm_settings here is replaced whole" in run.stdout


def test_an_included_list_joined_to_an_empty_model_list_depends_on_the_release(
        tmp_path: Path) -> None:
    """1.100.0 calls .extend on the empty value and stops; 1.106.12 replaces it (recorded)."""
    config = write(tmp_path, "model_list:\ninclude:\n  - models.yaml\n"
                   "general_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\n")
    write(tmp_path, "model_list:\n  - model_name: llama3\n    litellm_params:\n"
                    "      model: ollama/llama3\n", "models.yaml")
    old = validate(config, "--litellm", "1.100.0")
    assert old.code == 1 and ("include-extends-non-list", "error") in rules_of(old)
    new = validate(config, "--litellm", "1.106.12", env={"LITELLM_MASTER_KEY": "sk-prod-x7"})
    assert "include-extends-non-list" not in new.stdout


def test_a_success_callback_logger_without_its_package_stops_1_110_2_only(
        tmp_path: Path) -> None:
    config = write(tmp_path, GOOD + "litellm_settings:\n  success_callback: [langfuse]\n")
    env = {"LITELLM_MASTER_KEY": "sk-prod-x7"}
    new = validate(config, "--litellm", "1.110.2", env=env)
    assert new.code == 1 and ("callback-needs-package", "error") in rules_of(new), new.stdout
    old = validate(config, "--litellm", "1.106.12", env=env)
    assert "callback-needs-package" not in old.stdout


def test_litellm_settings_fallbacks_are_not_the_routers_when_router_settings_sets_them(
        tmp_path: Path) -> None:
    """1.110.2 refuses a string fallback target in litellm_settings only when the router
    reads it: `fallbacks or litellm.fallbacks` (recorded)."""
    two = GOOD + ("  - model_name: gpt-4o\n    litellm_params:\n      model: openai/gpt-4o\n"
                  "      api_key: os.environ/OPENAI_API_KEY\n")
    two = two.replace("general_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\n", "") + \
        "general_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\n"
    string = "litellm_settings:\n  fallbacks:\n    - gpt-4o: llama3\n"
    env = {"LITELLM_MASTER_KEY": "sk-prod-x7", "OPENAI_API_KEY": "sk-x"}
    alone = validate(write(tmp_path, two + string), "--litellm", "1.110.2", env=env)
    assert alone.code == 1 and ("fallbacks-shape", "error") in rules_of(alone), alone.stdout
    both = validate(write(tmp_path, two + string + "router_settings:\n  fallbacks:\n"
                          "    - gpt-4o: [llama3]\n"), "--litellm", "1.110.2", env=env)
    assert both.code == 0 and ("fallbacks-ignored", "warning") in rules_of(both), both.stdout
    assert "router_settings.fallbacks is set" in both.stdout


def test_otel_without_its_package_stops_1_110_2_in_callbacks(tmp_path: Path) -> None:
    config = write(tmp_path, GOOD + "litellm_settings:\n  callbacks: [otel]\n")
    env = {"LITELLM_MASTER_KEY": "sk-prod-x7"}
    new = validate(config, "--litellm", "1.110.2", env=env)
    assert new.code == 1 and "opentelemetry-sdk" in new.stdout, new.stdout
    old = validate(config, "--litellm", "1.106.12", env=env)
    assert "callback-needs-package" not in old.stdout


def test_an_included_files_own_include_is_read_where_the_release_reads_it(
        tmp_path: Path) -> None:
    """conf.d/models.yaml includes extra.yaml, which stands beside it: 1.100.0 reads every
    include: name from the config's folder and stops; 1.106.12 reads it beside the file that
    names it, and starts without the entry LiteLLM has no provider for (recorded)."""
    config = write(tmp_path, GOOD + "include:\n  - conf.d/models.yaml\n")
    write(tmp_path, "include:\n  - extra.yaml\nmodel_list:\n  - model_name: b\n"
                    "    litellm_params:\n      model: ollama/b\n", "conf.d/models.yaml")
    extra = write(tmp_path, "model_list:\n  - model_name: c\n    litellm_params:\n"
                            "      model: zhipu/c\n", "conf.d/extra.yaml")
    env = {"LITELLM_MASTER_KEY": "sk-prod-x7"}
    old = validate(config, "--litellm", "1.100.0", env=env)
    assert old.code == 1 and ("include-missing", "error") in rules_of(old), old.stdout
    new = validate(config, "--litellm", "1.106.12", env=env)
    rows = {(r["path"], r["rule"]) for r in findings(new.stdout)}
    assert (str(extra), "unknown-provider") in rows and "include-missing" not in new.stdout


def test_a_litellm_params_setting_under_model_info_is_not_read_there(tmp_path: Path) -> None:
    """The proxy starts and serves the model with api_key or litellm_credential_name under
    model_info (recorded), without them: a warning on each, none on model_info's own keys."""
    config = write(tmp_path, "model_list:\n  - model_name: gpt-4o\n    litellm_params:\n"
                   "      model: openai/gpt-4o\n    model_info:\n"
                   "      api_key: os.environ/OPENAI_API_KEY\n"
                   "      litellm_credential_name: azure-eu\n      mode: chat\n"
                   "      tags: [prod]\n      base_model: gpt-4o\n"
                   "general_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\n")
    run = validate(config)
    rows = [(r["line"], r["rule"]) for r in findings(run.stdout)]
    assert run.code == 0 and rows == [("6", "model-info-param"), ("7", "model-info-param")], \
        run.stdout
