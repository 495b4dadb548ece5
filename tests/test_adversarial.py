"""Issue 10's adversarial review, one test per class that is not a golden case.

Each runs the real CLI; each names the guarantee it holds. The golden cases
70-98 (tests/cases) hold the odd-YAML classes byte for byte.
"""
from __future__ import annotations

import http.server
import json
import os
import socket
import stat
import threading
from pathlib import Path

import pytest
from helpers import cli

CONFIG = "model_list:\n  - model_name: llama3\n    litellm_params:\n      model: ollama/llama3\n"


@pytest.fixture
def here(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "config.yaml").write_text(CONFIG)
    return tmp_path


# -- conflicts the scan used to miss ---------------------------------------------------------

def test_quoted_include_key_is_read_for_conflicts(here: Path) -> None:
    (here / "stt.yaml").write_text("model_list:\n  - model_name: whisper-1\n    litellm_params:\n"
                                   "      model: openai/whisper-1\n")
    (here / "config.yaml").write_text('"include":\n  - stt.yaml\n' + CONFIG)
    run = cli("merge", "config.yaml", "-o", "out.yaml")
    assert run.code == 0
    assert "whisper-1 skipped" in run.stderr and "stt.yaml:2" in run.stderr
    assert "model_name: whisper-1" not in (here / "out.yaml").read_text()


# -- templates are trusted input, but run sandboxed -------------------------------------------

def own_template(here: Path, body: str, name: str = "mine") -> Path:
    folder = here / "tpl"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.yaml.j2").write_text('{%- set category = "tts" -%}\n' + body)
    return folder


def test_template_cannot_run_commands(here: Path) -> None:
    proof = here / "ran"
    folder = own_template(here, "model_name: evil\nlitellm_params:\n  model: tts-1\n  note: "
                                f"\"{{{{ cycler.__init__.__globals__.os.popen('touch {proof}')"
                                ".read() }}\"\n")
    run = cli("merge", "config.yaml", "-o", "out.yaml", "--templates", folder, "--only", "mine")
    assert run.code == 2 and "sandbox forbids" in run.stderr
    assert not proof.exists() and not (here / "out.yaml").exists()


def test_template_rendering_a_marker_is_refused(here: Path) -> None:
    folder = own_template(here, "model_name: m\nlitellm_params:\n  model: tts-1\n"
                                "# END litellm-gen presets\n")
    run = cli("merge", "config.yaml", "-o", "out.yaml", "--templates", folder, "--only", "mine")
    assert run.code == 2 and "marker text" in run.stderr


def test_template_including_another_is_refused(here: Path) -> None:
    folder = own_template(here, '{% include "other.yaml.j2" %}\n')
    run = cli("render", "--templates", folder, "--only", "mine")
    assert run.code == 2 and "{% include %}" in run.stderr and ":2:" in run.stderr


@pytest.mark.parametrize("field", ["aws_secret_access_key: AKIAREALSECRET",
                                   "extra_headers: {api-key: abc123def456}",
                                   "api_base: https://user:hunter2@example.com/v1"])
def test_template_with_a_literal_secret_in_any_field_is_refused(here: Path, field: str) -> None:
    folder = own_template(here, f"model_name: m\nlitellm_params:\n  model: tts-1\n  {field}\n")
    for args in (["render"], ["merge", "config.yaml", "-o", "out.yaml"]):
        run = cli(*args, "--templates", folder, "--only", "mine")
        assert run.code == 2 and "literal" in run.stderr
        assert "AKIAREALSECRET" not in run.stdout + run.stderr
        assert "hunter2" not in run.stdout + run.stderr and "abc123def456" not in run.stdout


# -- secrets in every output path --------------------------------------------------------------

SECRET_CONFIG = """model_list:
  - model_name: azure-gpt
    litellm_params:
      model: azure/gpt-4o
      api_base: https://admin:pw-in-url-1@example.openai.azure.com
      extra_headers:
        api-key: azure-header-secret-2
        X-Api-Key: x-api-secret-3
        Ocp-Apim-Subscription-Key: apim-secret-4
      tags: [team-a, "https://bob:tag-pass-5@example.com"]
  - model_name: vertex
    litellm_params:
      model: vertex_ai/gemini
      vertex_credentials: |
        {"private_key": "block-secret-6"}
      clientSecret: camel-secret-7
      accessToken: camel-token-8
      db_password_file_contents: pw-variant-9
      passphrase: phrase-secret-10
      api_key: "multi line
        quoted-secret-11"
      folded_token: >-
        folded-secret-12
general_settings:
  master_key: sk-master-secret-13
"""
@pytest.mark.parametrize("args", [
    ["merge", "config.yaml", "--diff"], ["merge", "config.yaml", "--check"],
    ["merge", "config.yaml", "--diff", "--format", "json"], ["list", "config.yaml"],
    ["list", "config.yaml", "--format", "json"],
    ["verify", "config.yaml", "--url", "http://admin:url-secret-14@127.0.0.1:9"],
])
def test_no_output_path_shows_a_secret(here: Path, args) -> None:
    (here / "config.yaml").write_text(SECRET_CONFIG)
    run = cli(*args, env={"LITELLM_MASTER_KEY": "", "OPENAI_API_KEY": "x"})
    assert run.code in (0, 1, 2), run.stderr
    shown = run.stdout + run.stderr
    for i in range(1, 15):
        assert f"secret-{i}" not in shown and f"token-{i}" not in shown \
            and f"pass-{i}" not in shown and f"variant-{i}" not in shown \
            and f"in-url-{i}" not in shown, (i, shown)
    if "--diff" in args and "json" not in args:  # a folded secret among the context lines
        assert "       folded_token: >-\n         ***\n" in shown


def test_harmless_duplicate_key_warns_and_merges(here: Path) -> None:
    (here / "config.yaml").write_text(CONFIG + "litellm_settings:\n  cache_kwargs:\n"
                                      "    namespace: a\n    namespace: a\n")
    run = cli("merge", "config.yaml", "-o", "out.yaml")
    assert run.code == 0
    assert "line 8: duplicate key 'namespace' (first defined on line 7)" in run.stderr


# -- verify: the key goes nowhere else ---------------------------------------------------------

class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list = []
    redirect_to = ""

    def do_GET(self):  # noqa: N802 - the stdlib's name
        type(self).seen.append(dict(self.headers))
        if self.redirect_to:
            self.send_response(302)
            self.send_header("Location", self.redirect_to)
            self.end_headers()
            return
        body = json.dumps({"data": ["odd", {"model_name": 3, "model_info": "x"}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve(handler) -> tuple[http.server.HTTPServer, str]:
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def test_verify_never_follows_a_redirect_with_the_key(here: Path) -> None:
    target_handler = type("Target", (_Recorder,), {"seen": [], "redirect_to": ""})
    target, target_url = serve(target_handler)
    jump_handler = type("Jump", (_Recorder,), {"seen": [], "redirect_to": target_url + "/x"})
    jump, jump_url = serve(jump_handler)
    try:
        run = cli("verify", "config.yaml", "--url", jump_url,
                  env={"LITELLM_MASTER_KEY": "sk-verify-secret"})
    finally:
        jump.shutdown()
        target.shutdown()
    assert run.code == 2 and "redirect" in run.stderr
    assert jump_handler.seen and jump_handler.seen[0].get("Authorization") == \
        "Bearer sk-verify-secret"
    assert target_handler.seen == []  # the other address never got a request, let alone the key
    assert "sk-verify-secret" not in run.stdout + run.stderr


def test_verify_odd_answer_is_a_finding_not_a_crash(here: Path) -> None:
    handler = type("Odd", (_Recorder,), {"seen": [], "redirect_to": ""})
    server, url = serve(handler)
    try:
        run = cli("verify", "config.yaml", "--url", url, env={"LITELLM_MASTER_KEY": "k"})
    finally:
        server.shutdown()
    assert run.code == 1 and "missing" in run.stdout and "internal error" not in run.stderr


@pytest.mark.parametrize("args, message", [
    (["--url", "notaurl"], "is not an http:// or https:// address"),
    (["--wait", "nan", "--url", "http://127.0.0.1:9"], "--wait takes a number of seconds"),
])
def test_verify_bad_usage_exits_2(here: Path, args, message: str) -> None:
    import subprocess
    import sys
    # A process with a time limit: `--wait nan` used to poll forever.
    run = subprocess.run([sys.executable, "-m", "generator", "verify", "config.yaml", *args],
                         capture_output=True, text=True, timeout=30,
                         env={**os.environ, "LITELLM_MASTER_KEY": "k"})
    assert run.returncode == 2 and message in run.stderr


def test_list_json_of_dates_binary_and_nan_is_valid_json(here: Path) -> None:
    (here / "config.yaml").write_text(
        "model_list:\n  - model_name: 2024-01-01\n    litellm_params:\n      model: !!binary aGk=\n"
        "      tags: [.nan, 1]\n")
    run = cli("list", "config.yaml", "--format", "json")
    assert run.code == 0, run.stderr
    row = json.loads(run.stdout)[0]
    assert row["model_name"] == "2024-01-01" and row["model"] == "<2 bytes>"
    assert row["tags"] == ["nan", "1"]


def test_presets_unknown_set_exits_2() -> None:
    run = cli("presets", "--preset-set", "bogus")
    assert run.code == 2 and "unknown preset set 'bogus'" in run.stderr


# -- files and processes -------------------------------------------------------------------------

def test_output_that_is_a_device_is_refused(here: Path) -> None:
    # A device node of the test's own, like /dev/null: a regression must not replace the real one.
    device = here / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")
    run = cli("merge", "config.yaml", "-o", device)
    assert run.code == 2 and "not a regular file" in run.stderr
    assert stat.S_ISCHR(os.stat(device).st_mode)


@pytest.mark.parametrize("args", [["/dev/zero", "-o", "out.yaml"],
                                  ["config.yaml", "-o", "zero"],
                                  ["config.yaml", "-o", "out.yaml", "--include-file", "zero"]])
def test_endless_files_are_refused(here: Path, args) -> None:
    try:  # the output cases use a zero device of their own (see the test above)
        os.mknod(here / "zero", stat.S_IFCHR | 0o666, os.makedev(1, 5))
    except PermissionError:
        if "zero" in args:
            pytest.skip("making a device node needs root")
    run = cli("merge", *args)
    assert run.code == 2 and ("larger than" in run.stderr or "not a regular" in run.stderr)


def test_include_file_equal_to_output_is_refused(here: Path) -> None:
    run = cli("merge", "config.yaml", "-o", "out/config.yaml", "--include-file", "config.yaml")
    assert run.code == 2 and "is the output or the config itself" in run.stderr
    assert not (here / "out" / "config.yaml").exists()


def test_second_write_failing_says_what_was_written(here: Path, monkeypatch) -> None:
    import generator.boundary.files as files
    real = files.os.replace
    calls = []

    def second_fails(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(src, dst)
    monkeypatch.setattr(files.os, "replace", second_fails)
    run = cli("merge", "config.yaml", "-o", "out/config.yaml", "--include-file", "presets.yaml")
    assert run.code == 2
    assert "out/presets.yaml was already written, the rest was not" in run.stderr
    assert "nothing was changed" not in run.stderr
    assert (here / "out" / "presets.yaml").exists() and not (here / "out" / "config.yaml").exists()


def test_in_place_by_a_group_member_keeps_the_group(here: Path, monkeypatch) -> None:
    """A member of the file's group may not give it to the owner, but keeps the group."""
    import generator.boundary.files as files
    config = here / "config.yaml"
    owner = config.stat()
    calls = []

    def chown_as_a_member(path, uid, gid):
        calls.append((uid, gid))
        if uid != -1:  # as a user who is not the owner: changing the owner is refused
            raise PermissionError(1, "Operation not permitted")
    monkeypatch.setattr(files.os, "chown", chown_as_a_member)
    assert cli("merge", "config.yaml", "--in-place").code == 0
    assert calls == [(owner.st_uid, owner.st_gid), (-1, owner.st_gid)]


def test_unused_port_is_closed() -> None:  # a sanity check for the verify tests above
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", 9)) != 0


def test_init_never_overwrites_a_file_created_meanwhile(here: Path, monkeypatch) -> None:
    """Between init's start and its write, someone creates the file: theirs is kept."""
    import generator.boundary.files as files
    target = here / "new-config.yaml"
    real_fsync = files.os.fsync

    def someone_else_writes(fd):
        target.write_text("# theirs\n")
        return real_fsync(fd)
    monkeypatch.setattr(files.os, "fsync", someone_else_writes)
    run = cli("init", target)
    assert run.code == 2 and "already exists" in run.stderr
    assert target.read_text() == "# theirs\n"
    assert not [p for p in here.iterdir() if p.name.endswith(".tmp")]


def test_the_pure_core_imports_no_io_module() -> None:
    import subprocess
    import sys
    code = ("import sys, generator.merge.plan, generator.merge.prove, generator.merge.manifest,"
            " generator.merge.scan\n"
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('generator.'))))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.split()
    # Only the core's own modules: a new module that reads, writes or renders is not one.
    assert set(loaded) <= {"generator.boundary", "generator.boundary.errors",
                           "generator.boundary.loader", "generator.merge",
                           "generator.merge.manifest", "generator.merge.plan",
                           "generator.merge.model", "generator.merge.prove",
                           "generator.merge.scan", "generator.merge.block",
                           "generator.merge.scan_checks", "generator.merge.scan_result",
                           "generator.merge.scan_skim", "generator.merge.scan_state"}, loaded


def test_an_unreadable_include_is_a_warning_in_list_and_verify_too(here: Path) -> None:
    """One policy for unreadable includes: merge, list and verify warn and go on."""
    (here / "config.yaml").write_text("include:\n  - missing.yaml\n" + CONFIG)
    merged = cli("merge", "config.yaml", "-o", "out.yaml")
    listed = cli("list", "config.yaml")
    assert merged.code == 0 and "missing.yaml" in merged.stderr
    assert listed.code == 0 and "llama3" in listed.stdout
    assert "included file missing.yaml" in listed.stderr and "litellm-gen init" not in listed.stderr
