"""What `validate` can say: every rule registered once, and the Finding it produces.

As in ruff's rule registry, a rule is one unit: its name (what `--select`/`--ignore`
and inline suppressions use), its severity, what the proxy does when it fires (the
effect: the summary line and the CI formats are built from it), one line that says
what it catches and one that says what to write instead. The recorded proxy runs
behind each rule live in tests/oracle/; tests/test_oracle.py holds every rule that
says what the proxy does to at least one of them.

Pure data: no I/O, nothing imported from the rest of the package.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
# What the proxy does with a config that has the finding (measured: tests/oracle/).
Effect = Literal[
    "no-start",        # the proxy refuses to start
    "drops-model",     # it starts without the entry the finding is in
    "ignores",         # it starts and ignores a section, key or value the file sets
    "starts-open",     # it starts without a master key: anyone who reaches it may use it
    "request-fails",   # it starts; requests that need this will fail
    "hygiene",         # it runs as written; the file probably does not mean it, or leaks
    "serves-nothing",  # nothing in this file reaches the proxy as written (wrong nesting)
    "supply-chain",    # what runs as the proxy: a compromised release, a tag that moves
]


@dataclass(frozen=True)
class Rule:
    name: str
    severity: Severity
    effect: Effect
    summary: str             # what it catches, one line (SARIF shortDescription)
    fix: str                 # what to write instead, one line (SARIF help)
    env_dependent: bool = False  # the verdict depends on the environment validate runs in


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    column: int
    severity: Severity
    message: str
    rule: str

    @classmethod
    def of(cls, rule_name: str, path: str, line: int, column: int, message: str) -> "Finding":
        """A finding of a registered rule, with the rule's severity."""
        return cls(path, line, column, RULES[rule_name].severity, message, rule_name)

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "column": self.column,
                "severity": self.severity, "message": self.message, "rule": self.rule}


RULES: dict[str, Rule] = {}


def register(name: str, severity: Severity, effect: Effect, summary: str, fix: str, *,
             env_dependent: bool = False) -> Rule:
    if name in RULES:
        raise ValueError(f"rule {name} registered twice")
    RULES[name] = rule = Rule(name, severity, effect, summary, fix, env_dependent)
    return rule


def rule(name: str) -> Rule:
    return RULES[name]


# -- the file as YAML ---------------------------------------------------------------------
register("yaml-syntax", "error", "no-start", "the proxy's YAML loader cannot load the file",
         "fix the YAML at the line shown (quote values such as dates or odd numbers)")
register("yaml-tag", "error", "no-start", "a tag yaml.safe_load cannot construct",
         "remove the tag")
register("empty-config", "error", "no-start", "an empty config (\"Config cannot be None or "
         "Empty\")", "give the config at least a model_list")
register("config-not-mapping", "error", "no-start", "the config is not a mapping of sections",
         "write the config as model_list:, general_settings:, ... at the top")
register("duplicate-key", "warning", "hygiene", "a key set twice in one mapping: the loader "
         "keeps only the last", "delete one of the two")
register("duplicate-model-list", "error", "drops-model", "model_list written twice: the loader "
         "keeps the last list and the proxy starts without every entry of the first",
         "merge the two model_list lists into one")
register("no-model", "warning", "serves-nothing", "a config without a single model_list "
         "entry (an empty {}, model_list: []): the proxy starts and serves no model",
         "add model_list entries (models kept in a database are not in the file)")
register("alias-expansion", "error", "no-start", "aliases that expand to more values than "
         "the proxy's start-up can walk (an alias bomb): it never finishes starting",
         "write the values out, or keep aliases to small values")
register("nested-config", "warning", "serves-nothing", "a Helm values file checked without "
         "--key-path: the proxy config is nested", "run validate --key-path KEY")
# -- include ------------------------------------------------------------------------------
register("include-missing", "error", "no-start", "an include: file that is not there",
         "create the file or remove it from include:")
register("include-not-list", "error", "no-start", "include: is not a list of file names",
         "write include: as a list (- file.yaml)")
register("include-unreadable", "error", "no-start", "an include: file that cannot be read",
         "make the included file a readable YAML config")
# Recorded on 1.100.0, 1.106.12 and 1.110.2: tests/oracle/realistic/ (realistic whole configs).
register("include-extends-non-list", "error", "no-start", "an included list joined to a "
         "section that is not a list (model_list: left empty, a mapping): releases before "
         "1.106.12 call .extend on it", "write the section as a list in both files, or in one "
         "only")
register("include-replaces-model-list", "error", "drops-model", "an included file's model_list "
         "that is not a list (null, a mapping) replaces the entries before it",
         "write the included model_list as a list, or remove it")
register("include-replaces-section", "warning", "ignores", "a section an included file "
         "writes too: the included one replaces it whole, none of its keys are read",
         "write the section's keys in one file only")
# -- credential_list (recorded on 1.100.0, 1.106.12, 1.110.2: tests/oracle/realistic/) ------
register("credential-shape", "error", "no-start", "a credential_list that is not a list of "
         "credentials, or an item without a string credential_name and mappings "
         "credential_values and credential_info", "write each item as credential_name: NAME, "
         "credential_values: {api_key: ...}, credential_info: {}")
register("credential-unknown", "warning", "request-fails", "litellm_credential_name names no "
         "credential_list item: requests to the model go without the credential's values",
         "add the credential to credential_list, or fix the name")
# -- model_list ---------------------------------------------------------------------------
register("model-list-not-list", "error", "no-start", "model_list is not a list",
         "write model_list as a list of entries (- model_name: ...)")
register("entry-not-mapping", "error", "no-start", "a model_list item is not a mapping",
         "write each item as model_name:, litellm_params:")
register("missing-litellm-params", "error", "no-start", "an entry without litellm_params",
         "add litellm_params with model:")
register("litellm-params-not-mapping", "error", "no-start", "litellm_params is not a mapping",
         "write litellm_params as a mapping holding model:")
register("missing-model", "error", "no-start", "litellm_params without model",
         "add litellm_params.model (provider/model)")
register("model-not-string", "error", "no-start", "litellm_params.model is not a string",
         "quote the model name")
register("model-name", "error", "no-start", "an entry without a string model_name",
         "add model_name, quoted if it looks like a number")
register("model-env-unset", "error", "no-start", "model: os.environ/NAME with NAME unset",
         "set NAME where the proxy runs", env_dependent=True)
register("surrogate-escape", "error", "no-start", "a model_name holding a UTF-16 surrogate "
         "escape (JSON's \\ud83d\\ude80): the proxy prints it at start-up and stops "
         "(UnicodeEncodeError)", "write the character itself (json.dumps(..., "
         "ensure_ascii=False))")
register("entry-dropped", "error", "drops-model", "an entry of a shape this release starts "
         "without (recorded: a model_name or model of another type)", "write the type the "
         "message names")
register("unknown-provider", "error", "drops-model", "LiteLLM cannot tell the entry's "
         "provider (\"LLM Provider NOT provided\")", "write provider/model (ollama/llama3)")
register("not-a-number", "error", "drops-model", "rpm, tpm, timeout... that is not a number",
         "write a number")
register("model-info-tier", "error", "drops-model", "a model_info.tier LiteLLM does not know",
         "use one of the tiers LiteLLM knows")
register("model-info-not-mapping", "error", "no-start", "model_info that is not a mapping "
         "(a list, a string, empty)", "write model_info as a mapping, or remove it")
register("model-info-type", "error", "drops-model", "a model_info value of a type LiteLLM's "
         "ModelInfo refuses", "write the type the message names")
register("model-info-key", "warning", "ignores", "a near miss of a model_info key LiteLLM "
         "reads (mdoe, base_modle)", "spell the key as LiteLLM does")
register("model-info-misplaced", "warning", "ignores", "model_info nested inside "
         "litellm_params", "move model_info beside litellm_params")
register("param-type", "error", "drops-model", "a litellm_params value of a type LiteLLM's "
         "LiteLLM_Params refuses", "write the type the message names")
register("unknown-param", "warning", "ignores", "a near miss of a litellm_params key "
         "(api_baes)", "spell the key as LiteLLM does")
register("entry-key", "warning", "ignores", "a key beside model_name and litellm_params that "
         "the proxy does not read", "move it under litellm_params or model_info")
register("model-info-param", "warning", "ignores", "a litellm_params setting (api_key, "
         "litellm_credential_name, timeout...) written under model_info, where the proxy does "
         "not read it (recorded: tests/oracle/realistic/)", "move it under litellm_params")
register("model-info-mode", "warning", "ignores", "a model_info.mode LiteLLM does not know",
         "use a mode LiteLLM knows (chat, embedding, audio_speech, ...)")
register("deprecated-model", "warning", "request-fails", "a model past its deprecation date "
         "in LiteLLM's model map", "move to its successor")
register("env-unset", "warning", "request-fails", "a per-request os.environ/NAME that is not "
         "set", "set NAME where the proxy runs", env_dependent=True)
register("api-base-scheme", "warning", "request-fails", "an api_base without http:// or "
         "https://", "write the scheme")
register("literal-secret", "warning", "hygiene", "a literal secret in the file (never shown)",
         "write os.environ/NAME and set NAME where the proxy runs")
register("dollar-variable", "warning", "hygiene", "${VAR}, which LiteLLM never expands",
         "write os.environ/VAR")
# -- sections -----------------------------------------------------------------------------
register("unknown-section", "warning", "ignores", "a near-miss of a section name: the proxy "
         "ignores the whole section", "spell the section as LiteLLM does")
register("unknown-key", "warning", "ignores", "a key the proxy does not read",
         "spell it as LiteLLM does, or move it where it belongs")
register("section-not-mapping", "error", "no-start", "a settings section that is not a "
         "mapping", "write the section as a mapping")
register("section-ignored", "warning", "ignores", "a section of a shape the proxy skips "
         "(router_settings as a list)", "write the section as the message says")
register("setting-type", "error", "no-start", "a setting whose wrongly typed value stops the "
         "start-up (recorded)", "write the type the message names")
register("setting-type-ignored", "warning", "ignores", "a setting of another type than the "
         "release reads: it starts and does not use it as meant", "write the type the message "
         "names")
register("setting-refused", "error", "no-start", "a setting this release refuses whatever "
         "its value (a licence, a package; recorded)", "remove it, or meet what it needs")
register("no-master-key", "error", "starts-open", "no master key in the file or in "
         "LITELLM_MASTER_KEY: the proxy starts open", "write master_key: "
         "os.environ/LITELLM_MASTER_KEY and set it", env_dependent=True)
register("slack-webhook-unset", "warning", "ignores", "Slack alerting without "
         "SLACK_WEBHOOK_URL: no alert is sent", "set SLACK_WEBHOOK_URL where the proxy runs",
         env_dependent=True)
register("module-missing", "error", "no-start", "a module.attribute (custom_auth, a "
         "guardrail class, post_call_rules...) whose module is neither beside the config nor "
         "installed", "put the module beside the config")
register("module-broken", "error", "no-start", "a module beside the config that does not "
         "import, or lacks the named attribute", "fix the module or the name")
register("team-settings", "error", "no-start", "default_team_settings not a list of teams "
         "with team_id", "write - team_id: ... items")
register("guardrail-shape", "error", "no-start", "guardrails not a list of mappings with "
         "guardrail_name and litellm_params", "write - guardrail_name: ..., litellm_params: ...")
register("guardrail-needs-env", "error", "no-start", "a guardrail vendor whose variables are "
         "not set", "set the variable the message names", env_dependent=True)
register("guardrail-skipped", "warning", "ignores", "a guardrail the proxy skips (invalid "
         "configuration): it starts without it", "give the guardrail what the message names")
register("unknown-guardrail", "warning", "ignores", "a guardrail vendor LiteLLM does not "
         "have: it starts without it", "use a LiteLLM guardrail or module.ClassName")
register("master-key-unset", "error", "starts-open", "master_key: os.environ/NAME with NAME "
         "unset: no master key", "set NAME where the proxy runs", env_dependent=True)
register("master-key-refused", "error", "no-start", "a release that checks the master key at "
         "start-up (1.104 and later) finds none where it runs, or an empty or publicly known one "
         "(LITELLM_MASTER_KEY, or the file's os.environ/NAME): it refuses to start",
         "set the variable to a generated key (openssl rand -hex 32)", env_dependent=True)
register("master-key-weak", "error", "no-start", "the file's master_key is empty or publicly "
         "known (the docs' example key): a release that checks the master key refuses to start",
         "write master_key: os.environ/LITELLM_MASTER_KEY and set it to a generated key")
register("master-key-insecure", "warning", "hygiene", "an empty or publicly known master "
         "key (the docs' example key) the proxy starts with: it guards nothing",
         "set the master key to a generated key (openssl rand -hex 32)")
register("database-needs-package", "error", "no-start", "a database_url without prisma",
         "run the litellm-database image, or install prisma where the proxy runs")
# -- litellm_settings ---------------------------------------------------------------------
register("cache-type", "error", "no-start", "a cache type LiteLLM does not have",
         "use one of LiteLLM's cache types")
register("cache-needs-package", "error", "no-start", "a cache type whose package "
         "litellm[proxy] lacks", "install the package where the proxy runs")
register("cache-missing-param", "error", "no-start", "a cache without a parameter LiteLLM "
         "needs to set it up", "add the parameter to cache_params")
register("cache-no-host", "error", "no-start", "a Redis cache with no host, url or "
         "REDIS_HOST", "set cache_params.host (or REDIS_HOST where the proxy runs)",
         env_dependent=True)
register("cache-not-boolean", "warning", "ignores", "cache: set to something other than "
         "the YAML boolean true: no cache", "write cache: true")
register("cache-params-shape", "error", "no-start", "cache_params that is not a mapping",
         "write cache_params as a mapping")
register("cache-param-unknown", "error", "no-start", "a cache_params key neither LiteLLM's "
         "cache nor its Redis client takes", "remove it, or spell it as the client does")
register("cache-port", "warning", "request-fails", "a Redis port that is not a number: "
         "nothing is cached", "write the port number")
register("cache-env-unset", "warning", "ignores", "a cache_params os.environ/NAME that is "
         "not set", "set NAME where the proxy runs", env_dependent=True)
register("callback-needs-package", "error", "no-start", "a built-in callback whose package "
         "litellm[proxy] lacks", "install the package where the proxy runs")
register("callback-module-missing", "error", "no-start", "a callback module.attr whose module "
         "is not in the config's folder", "put the module beside the config")
register("callbacks-string", "error", "no-start", "success_callback/failure_callback as a "
         "string holding a dot: read letter by letter", "write a list")
register("callbacks-not-list", "warning", "ignores", "success_callback/failure_callback as a "
         "string: read letter by letter, the callback never runs", "write a list")
register("callback-refused", "error", "no-start", "a built-in callback this release will not "
         "start with (an enterprise feature, a variable it needs)", "remove it, or give it "
         "what the message names")
register("callback-not-runnable", "error", "no-start", "a callbacks module.attr that is a "
         "class or a plain object", "point it at a CustomLogger instance or a function")
register("unknown-callback-name", "warning", "ignores", "a success/failure callback name "
         "LiteLLM does not have", "use a LiteLLM callback name")
register("unknown-callback", "error", "no-start", "a callback that is neither built in nor "
         "module.attr", "use a LiteLLM callback name or module.attribute")
# -- router_settings ----------------------------------------------------------------------
register("routing-strategy", "error", "no-start", "a routing_strategy LiteLLM does not have",
         "use one of LiteLLM's routing strategies")
register("fallbacks-shape", "error", "no-start", "fallbacks that are not a list of one-key "
         "mappings", "write - model: [fallback, ...]")
register("fallbacks-ignored", "warning", "ignores", "fallbacks this release starts with "
         "but never uses (context_window_fallbacks of another shape, a string target)",
         "write - model: [fallback, ...]")
register("fallbacks-form", "warning", "hygiene", "fallbacks in a form this release starts "
         "with (recorded) but other releases refuse or never route", "write - model: "
         "[fallback, ...] (default_fallbacks: a list of model_names)")
register("alias-shape", "error", "no-start", "a model_group_alias mapping without hidden",
         "add hidden: false, or write the model_name alone")
register("alias-unknown-model", "warning", "request-fails", "a model_group_alias to a "
         "model_name no entry has", "name a model_name of model_list")
register("fallback-unknown-model", "warning", "request-fails", "a fallback naming a "
         "model_name no entry has", "name a model_name of model_list")
register("router-setting-misplaced", "error", "no-start", "a router_settings key that makes "
         "the Router refuse to start", "move it where the message says")
# -- general_settings: background health checks -------------------------------------------
register("health-check-cost", "warning", "hygiene", "background health checks send a paid "
         "media deployment a real request every health_check_interval: its own price times "
         "the checks a day", "set model_info.disable_background_health_check: true on the "
         "entry, or name the groups to check in background_health_check_model_groups")
# -- the real proxy (--with-proxy) --------------------------------------------------------
register("proxy-start", "error", "no-start", "the real proxy did not start (--with-proxy)",
         "read the proxy's error")
register("proxy-dropped", "error", "drops-model", "the real proxy started without this model "
         "(--with-proxy)", "read the proxy's log")
# -- what runs as the proxy (not proxy behaviour: backed by published reports, see
# generator/validate/pins.py; tests/test_releases.py holds them to pins of every kind)
register("compromised-release", "error", "supply-chain", "a pin (image tag, Helm image.tag, "
         "requirement, Dockerfile) to a litellm release reported compromised and withdrawn "
         "(1.82.7, 1.82.8: LiteLLM issue 24518; 1.107.x)", "pin a release that was not "
         "compromised, and rotate the credentials the compromised one could read")
register("floating-image-tag", "warning", "supply-chain", "a proxy image whose tag moves "
         "(latest, main-latest, main-stable, none): the release changes with any pull",
         "pin a release tag (main-vX.Y.Z, or -lts) or a digest")
