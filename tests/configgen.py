"""Hypothesis strategies for LiteLLM configs written the many ways people write them."""
from __future__ import annotations

from hypothesis import strategies as st

NAMES = st.sampled_from(["llama3", "qwen2.5:7b", "phi3", "mistral", "gpt-oss-20b", "whisper-1",
                         "tts-1", "embed", "claude-*", "deepseek-r1"])
PLAIN = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_./:", min_size=1, max_size=12) \
    .filter(lambda s: s[0].isalpha() and not s.endswith(":") and ": " not in s)
COMMENT = st.text(alphabet="abc XYZ-#:é日'\"", max_size=20).map(lambda s: "# " + s.strip())


def quote(value: str, style: str) -> str:
    if style == "double":
        return '"' + value + '"'
    if style == "single":
        return "'" + value + "'"
    return value


@st.composite
def scalar(draw) -> str:
    value = draw(st.one_of(PLAIN, st.integers(0, 10_000).map(str)))
    style = draw(st.sampled_from(["plain", "double", "single"]))
    if style == "plain" and value in ("yes", "no", "on", "off", "null", "true", "false"):
        style = "double"
    return quote(value, style)


@st.composite
def entry_lines(draw, pad: str, step: int, dash_gap: int) -> list[str]:
    """One model_list item as lines, dash at `pad`."""
    name = quote(draw(NAMES), draw(st.sampled_from(["plain", "double", "single"])))
    inner = pad + " " * (1 + dash_gap)
    deeper = inner + " " * step
    if draw(st.integers(0, 5)) == 0:  # a flow-style item
        return [f"{pad}-{' ' * dash_gap}{{model_name: {name}, litellm_params: {{model: "
                f"ollama/{draw(PLAIN)}}}}}"]
    lines = [f"{pad}-{' ' * dash_gap}model_name: {name}" + draw(st.sampled_from(
        ["", "  # inline"]))]
    lines.append(f"{inner}litellm_params:")
    lines.append(f"{deeper}model: ollama/{draw(PLAIN)}")
    for key in draw(st.lists(st.sampled_from(["api_base", "rpm", "timeout", "api_key"]),
                             unique=True, max_size=3)):
        value = draw(scalar()) if key != "api_key" else "os.environ/OLLAMA_KEY"
        lines.append(f"{deeper}{key}: {value}")
        if draw(st.booleans()):
            lines.append(f"{deeper}{draw(COMMENT)}")
    if draw(st.booleans()):
        lines.append(f"{inner}model_info:")
        lines.append(f"{deeper}mode: chat")
        if draw(st.booleans()):
            lines.append(f"{deeper}tags: [{draw(PLAIN)}, local]")
    return lines


@st.composite
def configs(draw) -> bytes:
    """A valid config as bytes: varied layout, comments, blank lines, CRLF, BOM."""
    step = draw(st.sampled_from([2, 4]))
    dash_at = draw(st.sampled_from([0, step]))
    dash_gap = draw(st.sampled_from([1, 1, step - 1 if step > 2 else 1]))
    sections = []
    shape = draw(st.sampled_from(["block", "block", "block", "empty-flow", "null", "missing"]))
    if shape != "missing":
        lines = ["model_list:" + ("  # the models" if draw(st.booleans()) else "")]
        if shape == "empty-flow":
            lines = ["model_list: []"]
        elif shape == "block":
            for _ in range(draw(st.integers(1, 4))):
                if draw(st.booleans()):
                    lines.append(" " * dash_at + draw(COMMENT))
                lines.extend(draw(entry_lines(" " * dash_at, step, dash_gap)))
                if draw(st.booleans()):
                    lines.append("")
            if draw(st.booleans()):
                lines.append(" " * dash_at + "# - model_name: disabled")
        sections.append(lines)
    sections.append(["general_settings:", " " * step + "master_key: os.environ/LITELLM_MASTER_KEY"])
    if draw(st.booleans()):
        sections.append(["litellm_settings:", " " * step + "drop_params: true",
                         " " * step + "fallbacks: [{\"a\": [\"b\"]}]"])
    if draw(st.booleans()):
        sections.append(["x-defaults: &defaults", " " * step + "rpm: 5", "router_settings:",
                         " " * step + "<<: *defaults", " " * step + "routing_strategy: simple-shuffle"])
    order = draw(st.permutations(range(len(sections))))
    lines = []
    if draw(st.booleans()):
        lines.append(draw(COMMENT))
    if draw(st.booleans()):
        lines.append("---")
    for i in order:
        lines.extend(sections[i])
        if draw(st.booleans()):
            lines.append("")
        if draw(st.booleans()):
            lines.append(draw(COMMENT))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    text = newline.join(lines)
    if draw(st.booleans()) or not text:
        text += newline
    bom = "\ufeff" if draw(st.integers(0, 5)) == 0 else ""
    return (bom + text).encode("utf-8")
