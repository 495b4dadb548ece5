"""An adversarial review of the one door in, the one door out and the masking policy
(issue 27), through the real CLI: each case once printed a secret, or refused or wrote a
file without saying what to do. Every file here is made by the test.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import cli
from typer.testing import CliRunner

from generator.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
ENTRY = ("model_list:\n  - model_name: llama3\n    litellm_params:\n"
         "      model: ollama/llama3\n")
TOKEN = "sk-proj-Vb7Rt2Lm9Qx"  # a key as OpenAI issues them
KEYLIKE = "Zt8wPq3Kx7Vm"       # a secret pasted where a key name goes


@pytest.fixture
def here(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def printed(*args) -> str:
    run = cli(*args)
    assert run.code in (0, 1, 2), run.stderr
    return run.stdout + run.stderr


# -- what is printed -------------------------------------------------------------------------

def test_a_comment_beside_a_safe_value_is_screened_as_the_value_is(here: Path) -> None:
    """A model name is shown, and so was any comment beside it, an OpenAI key included."""
    Path("config.yaml").write_text(
        ENTRY.replace("llama3\n", f"llama3  # old key {TOKEN}\n", 1)
        .replace("ollama/llama3\n", "ollama/llama3  # local Ollama\n"))
    Path("out.yaml").write_text("x: 1\n")  # every line of the config is in the diff
    for extra in (["--diff"], ["--check"], ["--diff", "--format", "json"]):
        out = printed("merge", "config.yaml", "-o", "out.yaml", *extra)
        assert TOKEN not in out and "Vb7Rt2Lm9Qx" not in out
        assert "model_name: llama3  # ***" in out.replace("\\n", "\n")
        assert "# local Ollama" in out.replace("\\n", "\n")  # nothing to screen: shown


def test_a_comment_beside_a_safe_value_in_a_broken_output_is_screened(here: Path) -> None:
    """An output that does not parse (a merge conflict) is masked line by line: same rule."""
    Path("config.yaml").write_text(ENTRY)
    Path("out.yaml").write_text(f"<<<<<<< ours\nmodel_list:\n  - model_name: llama3  # {TOKEN}\n"
                                "=======\n>>>>>>> theirs\n")
    out = printed("merge", "config.yaml", "-o", "out.yaml", "--diff")
    assert "-  - model_name: llama3  # ***" in out and "Vb7Rt2Lm9Qx" not in out


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_validate_never_names_a_key_the_masking_hides(here: Path, fmt: str) -> None:
    """A secret pasted where a key goes (a missing line break, a bad paste) is a key to YAML:
    the diff masked it, validate's findings named it in every format."""
    Path("config.yaml").write_text(
        ENTRY + f"      {KEYLIKE}1: x\n  - model_name: m2\n    litellm_params: {{model: "
        f"openai/gpt-4o}}\n    ? {KEYLIKE}2\n{KEYLIKE}3: 1\ngeneral_settings:\n"
        f"  master_key {KEYLIKE}4: 1\n  {KEYLIKE}5: [1]\n  general_setting: {{}}\n"
        f'router_settings: {{"{KEYLIKE}6": 1}}\n')
    out = printed("validate", "config.yaml", "--format", fmt)
    assert KEYLIKE not in out
    assert "general_settings.general_setting" in out  # a name is still shown
    assert ("config.yaml:9:1:" if fmt == "text" else "config.yaml") in out  # the place


def test_a_merge_refusal_never_names_a_key_the_masking_hides(here: Path) -> None:
    """The refusal names the place; the key, read from a file or from standard input, masked."""
    config = ENTRY + f"      {KEYLIKE}: 1\n      {KEYLIKE}: 2\n"
    Path("config.yaml").write_text(config)
    run = cli("merge", "config.yaml", "-o", "out.yaml")
    piped = CliRunner().invoke(app, ["merge", "-", "-o", "out.yaml"], input=config)
    for code, err, where in ((run.code, run.stderr, "config.yaml:6:7:"),
                             (piped.exit_code, piped.stderr, "-:6:7:")):
        assert code == 2 and "duplicate key '***'" in err and KEYLIKE not in err
        assert where in err


@pytest.mark.parametrize("body", [f"{{% {KEYLIKE} %}}", f'{{{{ "x" | {KEYLIKE} }}}}',
                                  f"{{{{ api_key_env.{KEYLIKE} }}}}"])
def test_a_template_error_never_quotes_the_templates_text(here: Path, body: str) -> None:
    """Jinja quotes the token it stopped at; the template is the operator's file."""
    Path("tpl").mkdir()
    Path("tpl/mine.yaml.j2").write_text(body + "\n")
    Path("config.yaml").write_text(ENTRY)
    for args in (["presets"], ["render", "--only", "mine"],
                 ["merge", "config.yaml", "-o", "out.yaml", "--only", "mine"]):
        run = cli(*args, "--templates", "tpl")
        assert run.code == 2 and "tpl/mine.yaml.j2:1: template" in run.stderr
        assert KEYLIKE not in run.stderr and "'***'" in run.stderr


def test_presets_shows_a_templates_cost_only_as_a_number(here: Path) -> None:
    """Cost fields are numbers under cost keys: what else a template writes there is masked."""
    Path("tpl").mkdir()
    Path("tpl/mine.yaml.j2").write_text(
        '{%- set category = "tts" -%}\nmodel_name: mine\nlitellm_params:\n  model: tts-1\n'
        "  api_key: os.environ/{{ api_key_env }}\nmodel_info:\n  mode: audio_speech\n"
        f"  input_cost_per_character: {KEYLIKE}\n  output_cost_per_second: 0.25\n")
    for extra in ([], ["--wide"], ["--format", "json"]):
        out = printed("presets", "--templates", "tpl", *extra)
        assert KEYLIKE not in out
        assert "0.25" in out and "tts-1-hd" in out  # numbers shown, the shipped presets too
        assert ("input_cost_per_character\": \"***\"" if extra[:1] == ["--format"] else
                "input_cost_per_character" + ("=" if extra else ": ") + "***") in out


# -- what is written ---------------------------------------------------------------------------

def as_a_user_who_cannot_override(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The CLI in a process that obeys file modes (root without its override capabilities)."""
    prefix = []
    if os.geteuid() == 0:
        caps = "-dac_override,-dac_read_search,-fowner"
        prefix = [shutil.which("setpriv") or "setpriv", "--bounding-set", caps, "--inh-caps", caps]
    return subprocess.run([*prefix, sys.executable, "-m", "generator", *args],
                          capture_output=True, text=True, cwd=cwd, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_a_write_into_a_folder_it_may_not_change_says_how_to_proceed(here: Path) -> None:
    """The output itself is writable, its folder not: an atomic write needs the folder."""
    Path("config.yaml").write_text(ENTRY)
    locked = here / "locked"
    locked.mkdir()
    (locked / "out.yaml").write_text("x: 1\n")
    (locked / "out.yaml").chmod(0o666)
    locked.chmod(0o555)
    try:
        for args, instead in ((["merge", "config.yaml", "-o", "locked/out.yaml"],
                               "write elsewhere with -o OUTPUT"),
                              (["schema", "-o", "locked/out.yaml"],
                               "write elsewhere with -o OUTPUT"),
                              (["init", "locked/new.yaml"], "give litellm-gen init another PATH")):
            run = as_a_user_who_cannot_override(*args, cwd=here)
            assert run.returncode == 2, run.stderr
            assert (f"{args[-1]}: cannot write" in run.stderr and "its folder " in run.stderr
                    and "does not let this user create files" in run.stderr
                    and f"make the folder writable, or {instead}" in run.stderr), run.stderr
        assert (locked / "out.yaml").read_text() == "x: 1\n"
    finally:
        locked.chmod(0o755)


@pytest.mark.parametrize("name", ["null", "true", "1.5", "2026-01-01", "yes"])
def test_an_include_file_named_like_a_yaml_value_is_written_as_a_string(here: Path,
                                                                      name: str) -> None:
    """`- null` is None to the proxy's loader: the name is quoted, and a second run agrees."""
    Path("config.yaml").write_text(ENTRY)
    run = cli("merge", "config.yaml", "--include-file", name, "-o", "out.yaml")
    assert run.code == 0, run.stderr
    assert yaml.safe_load(Path("out.yaml").read_text())["include"] == [name]
    assert cli("merge", "config.yaml", "--include-file", name, "-o", "out.yaml",
               "--check").code == 0


def test_include_file_dash_is_refused_in_the_tools_words(here: Path) -> None:
    Path("config.yaml").write_text(ENTRY)
    run = cli("merge", "config.yaml", "--include-file", "-", "-o", "out.yaml")
    assert run.code == 2 and "--include-file -: the config's include: list names" in run.stderr
    assert not Path("out.yaml").exists()


# -- what is read ------------------------------------------------------------------------------

def test_an_unreadable_file_of_another_user_says_who_can_let_you_read_it(here: Path) -> None:
    """`chmod u+r` is no help for a file this user does not own."""
    Path("config.yaml").write_text(ENTRY)
    Path("proxy.env").write_text("K=1\n")
    Path("proxy.env").chmod(0o600)
    if os.geteuid() == 0:
        os.chown("proxy.env", 1234, 1234)
    else:
        pytest.skip("giving a file to another user needs root")
    run = as_a_user_who_cannot_override("validate", "config.yaml", "--env-file", "proxy.env",
                                        cwd=here)
    assert run.returncode == 2
    assert ("proxy.env: cannot read the env file: permission denied (it belongs to another "
            "user, who can let you read it: chmod a+r proxy.env") in run.stderr


def test_a_folder_where_an_included_file_goes_is_named_in_plain_words(here: Path) -> None:
    Path("config.yaml").write_text(ENTRY + "include:\n  - extra.yaml\n")
    Path("extra.yaml").mkdir()
    run = cli("list", "config.yaml")
    assert "extra.yaml: is a folder, not an included file" in run.stderr


def test_a_recorded_templates_folder_with_a_backtick_is_read_back(here: Path) -> None:
    """The BEGIN line quotes the command in backticks; a folder's name may hold one. Read
    back only to the first backtick, the choice was lost and the next merge swapped the
    operator's presets for the default five."""
    folder = here / "my`tpl"
    folder.mkdir()
    (folder / "mine.yaml.j2").write_text(
        '{%- set category = "tts" -%}\nmodel_name: mine\nlitellm_params:\n  model: tts-1\n'
        "  api_key: os.environ/{{ api_key_env }}\nmodel_info:\n  mode: audio_speech\n")
    Path("config.yaml").write_text(ENTRY)
    assert cli("merge", "config.yaml", "-o", "out.yaml", "--templates", "my`tpl",
               "--only", "mine").code == 0
    again = cli("merge", "config.yaml", "-o", "out.yaml", "--check")
    assert again.code == 0, again.stdout


@pytest.mark.parametrize("args", [["merge", "config.yaml", "-o", "/dev/stdout"],
                                  ["schema", "-o", "/dev/stdout"]])
def test_dev_stdout_on_a_pipe_is_refused_as_a_pipe_with_the_dash_hint(here: Path, args) -> None:
    """/dev/stdout leads to `pipe:[...]`, no path: it was taken for a new file in a folder
    that does not exist ("No such file or directory")."""
    Path("config.yaml").write_text(ENTRY)
    run = subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True,
                         text=True, cwd=here, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 2 and run.stdout == ""
    assert ("/dev/stdout: the output is a named pipe (FIFO), not a regular file; litellm-gen "
            "writes regular files only (`-` prints the result instead)") in run.stderr


def test_a_dangling_link_is_named_as_one_not_as_a_missing_file(here: Path) -> None:
    """'create one with litellm-gen init' led to init's 'already exists' (the link is there)."""
    Path("config.yaml").symlink_to("gone/config.yaml")
    for args in (["merge", "config.yaml", "-o", "out.yaml"], ["validate", "config.yaml"],
                 ["list", "config.yaml"]):
        run = cli(*args)
        assert run.code == 2
        assert ("config.yaml: is a symbolic link to gone/config.yaml, which does not exist; "
                "point it at the config, or give the config itself") in run.stderr


def test_validate_knows_the_settings_merge_reads_and_masks_an_unknown_key(here: Path) -> None:
    """validate called merge's acknowledge-deprecated unread, and quoted any key as written."""
    Path("config.yaml").write_text(ENTRY)
    Path("pyproject.toml").write_text('[tool.litellm-gen]\nacknowledge-deprecated = ["dall-e-2"]'
                                      f"\n{KEYLIKE} = 1\nselct = []\n")
    run = cli("validate", "config.yaml")
    assert "'acknowledge-deprecated'" not in run.stderr and KEYLIKE not in run.stderr
    assert "does not read the setting '***'" in run.stderr
    assert "does not read the setting 'selct'" in run.stderr  # a name is shown
    assert "acknowledge-deprecated" in run.stderr  # among what it reads


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_validate_never_quotes_a_value_the_masking_hides(here: Path, fmt: str) -> None:
    """The diff masks `alerting:`'s value (not a key the tool knows to be safe to show);
    validate's hint quoted it back (`write a list, alerting: [...]`)."""
    Path("config.yaml").write_text(ENTRY + f"general_settings:\n  alerting: {KEYLIKE}\n")
    out = printed("validate", "config.yaml", "--format", fmt)
    assert KEYLIKE not in out and "alerting" in out
    Path("out.yaml").write_text("x: 1\n")
    diff = printed("merge", "config.yaml", "-o", "out.yaml", "--diff")
    assert "+  alerting: ***" in diff  # the same policy as the diff


def test_a_count_of_tokens_is_not_called_a_secret(here: Path) -> None:
    """`max_tokens: "4k"` is a wrong number, not a literal secret."""
    Path("config.yaml").write_text(ENTRY + '      max_tokens: "4k"\n'
                                   "    model_info:\n      max_input_tokens: lots\n")
    out = printed("validate", "config.yaml")
    assert "literal-secret" not in out


def test_list_shows_a_right_to_left_override_escaped_as_validate_does(here: Path) -> None:
    """U+202E makes a terminal print `abc` + `fed` reversed: list printed it raw."""
    Path("config.yaml").write_text('model_list:\n  - model_name: "abc\\u202edef"\n'
                                   "    litellm_params:\n      model: openai/gpt-4o\n")
    run = cli("list", "config.yaml")
    assert run.code == 0 and "abc\\u202edef" in run.stdout and "\u202e" not in run.stdout


@pytest.mark.parametrize("name, args, noun", [
    ("pyproject.toml", ["validate", "config.yaml"], "settings file"),
    ("proxy.env", ["validate", "config.yaml", "--env-file", "proxy.env"], "env file"),
    ("tpl/mine.yaml.j2", ["presets", "--templates", "tpl"], "template")])
def test_a_file_that_is_not_utf8_is_named_for_what_it_is(here: Path, name, args, noun) -> None:
    """Each said 'the proxy reads UTF-8 configs only', of files the proxy never reads."""
    Path("config.yaml").write_text(ENTRY)
    Path(name).parent.mkdir(exist_ok=True)
    Path(name).write_bytes(b"x = 1\n\xff\n")
    run = cli(*args)
    assert run.code == 2 and "configs only" not in run.stderr
    assert f":2:1: not UTF-8 text (byte 0xff); litellm-gen reads the {noun} as UTF-8" \
        in run.stderr


def test_a_templates_folder_with_a_line_break_is_refused_in_the_tools_words(here: Path) -> None:
    """It was refused by the proof of the merged text, as YAML the loader cannot read."""
    folder = here / "tpl\nmaster_key: x"
    folder.mkdir()
    (folder / "mine.yaml.j2").write_text(
        '{%- set category = "tts" -%}\nmodel_name: mine\nlitellm_params:\n  model: tts-1\n'
        "  api_key: os.environ/{{ api_key_env }}\nmodel_info:\n  mode: audio_speech\n")
    Path("config.yaml").write_text(ENTRY)
    run = cli("merge", "config.yaml", "-o", "out.yaml", "--templates", str(folder.name))
    assert run.code == 2 and not Path("out.yaml").exists()
    assert "--templates: the folder's name holds a line break" in run.stderr


def test_the_real_proxys_words_never_quote_a_masked_value_or_a_secret_variable(
        here: Path, monkeypatch) -> None:
    """--with-proxy reports the proxy's last error line, which may quote a value from the
    file or the environment (a Redis password in `invalid literal for int()`). A stand-in
    `litellm` that says so."""
    fake = here / "litellm"
    fake.write_text("#!/bin/sh\necho \"ValueError: invalid literal for int() with base 10: "
                    f"'$REDIS_PASSWORD' (note {KEYLIKE}, cache redis)\"\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("LITELLM_PROXY_BIN", str(fake))
    Path("config.yaml").write_text(
        ENTRY + f"    note: {KEYLIKE}\nlitellm_settings:\n  cache: true\n  cache_params: "
        "{type: redis, host: localhost, password: os.environ/REDIS_PASSWORD}\n")
    Path("proxy.env").write_text("REDIS_PASSWORD=hunter2pw\n")
    for fmt in ("text", "json"):
        out = printed("validate", "config.yaml", "--with-proxy", "--env-file", "proxy.env",
                      "--format", fmt)
        assert "the real proxy did not start: ValueError: invalid literal" in out
        assert "hunter2pw" not in out and KEYLIKE not in out
        assert "cache redis" in out  # the proxy's own words are kept


def test_a_merge_warning_never_names_a_key_the_masking_hides(here: Path) -> None:
    """A duplicate key the proxy tolerates is a warning, in text and in JSON."""
    Path("config.yaml").write_text(ENTRY + f"litellm_settings:\n  cache_kwargs:\n"
                                   f"    {KEYLIKE}: a\n    {KEYLIKE}: a\n")
    for extra in ([], ["--format", "json"]):
        run = cli("merge", "config.yaml", "-o", "out.yaml", *extra)
        assert run.code == 0
        assert "line 8: duplicate key '***' (first defined on line 7)" in run.stdout + run.stderr
        assert KEYLIKE not in run.stdout + run.stderr


def test_a_comment_that_assigns_a_secret_is_masked_beside_a_safe_value(here: Path) -> None:
    Path("config.yaml").write_text(
        ENTRY.replace("llama3\n", f"llama3  # password: {KEYLIKE}1\n", 1)
        .replace("ollama/llama3\n", f"ollama/llama3  # old key={KEYLIKE}2\n")
        + "    model_info: {mode: chat}  # see docs: https://docs.litellm.ai\n")
    Path("out.yaml").write_text("x: 1\n")
    out = printed("merge", "config.yaml", "-o", "out.yaml", "--diff")
    assert KEYLIKE not in out and "model_name: llama3  # ***" in out
    assert "# see docs: https://docs.litellm.ai" in out  # nothing assigned to a secret


def test_a_broken_line_with_a_second_key_is_not_shown_as_a_safe_value(here: Path) -> None:
    """`model_name: a, api_key: ...` does not parse; the line policy read it all as the
    model_name's value and showed it."""
    Path("config.yaml").write_text(ENTRY)
    Path("out.yaml").write_text(f"model_list:\n  - model_name: a, api_key: {KEYLIKE}\n"
                                "  bad: [\n")
    out = printed("merge", "config.yaml", "-o", "out.yaml", "--diff")
    assert KEYLIKE not in out and "-  - model_name: ***" in out


def test_the_proxys_words_never_quote_a_literal_password_that_reads_as_a_word(
        here: Path, monkeypatch) -> None:
    fake = here / "litellm"
    fake.write_text("#!/bin/sh\necho \"redis.exceptions.AuthenticationError: invalid password "
                    "'swordfish' for host localhost\"\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("LITELLM_PROXY_BIN", str(fake))
    Path("config.yaml").write_text(ENTRY + "litellm_settings:\n  cache: true\n  cache_params: "
                                   "{type: redis, host: localhost, password: swordfish}\n")
    out = printed("validate", "config.yaml", "--with-proxy")
    assert "invalid password '***' for host localhost" in out and "swordfish" not in out


def test_a_large_config_masks_the_keys_its_findings_name(here: Path) -> None:
    """Past 1 MiB the keys are read from the findings' lines and the top level only (the
    whole text costs a rescan): the same masking."""
    entries = "".join(f"  - model_name: m{i}\n    litellm_params:\n      model: openai/gpt-4o\n"
                      for i in range(16000))
    Path("config.yaml").write_text(
        f"model_list:\n{entries}  - model_name: last\n    litellm_params:\n"
        f"      model: openai/gpt-4o\n    {KEYLIKE}1: x\n{KEYLIKE}2: 1\n"
        f"general_settings:\n  {KEYLIKE}3: 1\n")
    assert Path("config.yaml").stat().st_size > 1024 * 1024
    out = printed("validate", "config.yaml")
    assert KEYLIKE not in out and "the proxy ignores top-level '***'" in out
    assert "general_settings.***" in out


def test_a_large_nested_config_masks_the_key_it_is_nested_under(here: Path) -> None:
    entries = "".join(f"    - model_name: m{i}\n      litellm_params:\n"
                      f"        model: openai/gpt-4o\n" for i in range(16000))
    Path("values.yaml").write_text(f"# values\n{KEYLIKE}:\n  model_list:\n{entries}")
    assert Path("values.yaml").stat().st_size > 1024 * 1024
    out = printed("validate", "values.yaml")
    assert "--key-path ***" in out and KEYLIKE not in out
