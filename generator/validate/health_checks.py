"""What the proxy's background health checks of a config cost a day.

With `general_settings.background_health_checks` on, litellm 1.100.0 calls every deployment
every `health_check_interval` seconds (default 300, or DEFAULT_HEALTH_CHECK_INTERVAL from its
environment) in the deployment's own mode (proxy_server._run_background_health_check,
health_check._run_model_health_check): an image for image_generation, speech for
audio_speech, a transcription for audio_transcription. Each is a billed request. It leaves
out a deployment whose `model_info.disable_background_health_check` is true, and, when
`general_settings.background_health_check_model_groups` is set, every model group not in
it. A recorded run of the real proxy backs this: tests/oracle/health-checks/.

Pure: parsed nodes in, findings out (through the validate Context). Entries are noted one
by one as validate reads them (`note_entry`), since a long model_list is not kept; the
findings are made once the settings are known (`add_findings`).
"""
from __future__ import annotations

from dataclasses import dataclass

from generator.boundary.marked import Mapping, Scalar, Sequence, value_of

DEFAULT_INTERVAL = 300  # seconds: litellm 1.100.0's DEFAULT_HEALTH_CHECK_INTERVAL
SECONDS_A_DAY = 24 * 60 * 60
# What one check asks for, in litellm 1.100.0 (litellm_core_utils/health_check_helpers.py):
SPEECH_CHARACTERS = len("test from litellm")  # DEFAULT_HEALTH_CHECK_PROMPT, spoken
TRANSCRIBED_SECONDS = 0.66  # litellm's audio_health_check.wav (0.66 s), transcribed
IMAGE_PIXELS = 1024 * 1024  # the check names no size: OpenAI's default, 1024x1024

# mode -> (what one check is, and the model_info prices that bill it: (field, amount a check))
_PER_IMAGE = (("output_cost_per_image", 1, ""), ("input_cost_per_image", 1, ""),
              ("input_cost_per_pixel", IMAGE_PIXELS, "pixels"))
PAID_MODES = {
    "image_generation": ("image", _PER_IMAGE),
    "image_edit": ("image edit", _PER_IMAGE),
    "audio_speech": ("speech request", (("input_cost_per_character", SPEECH_CHARACTERS,
                                         "characters"),)),
    "audio_transcription": ("transcription", (("input_cost_per_second", TRANSCRIBED_SECONDS,
                                               "seconds"),
                                              ("output_cost_per_second", TRANSCRIBED_SECONDS,
                                               "seconds"))),
    "video_generation": ("video", ()),
}
_NOTED = "_paid_health_checks"  # where note_entry keeps its notes, on the validate Context


@dataclass(frozen=True)
class PaidCheck:
    """One deployment the background checks would bill, as read from its entry."""
    source: object           # the validate Source the entry is in
    node: object             # the entry, for the finding's line
    model_name: str | None
    mode: str
    unit: str                # what one check is: "image", "speech request", ...
    price: tuple[str, float, float, str] | None  # (model_info field, value, amount, unit)

    @property
    def per_check(self) -> float | None:
        return None if self.price is None else self.price[1] * self.price[2]


def note_entry(source, entry, ctx) -> None:
    """Remember a model_list entry whose background check is a paid media request."""
    paid = paid_check(source, entry)
    if paid is not None:
        notes = getattr(ctx, _NOTED, None)
        if notes is None:
            notes = []
            setattr(ctx, _NOTED, notes)
        notes.append(paid)


def paid_check(source, entry) -> PaidCheck | None:
    """The entry's paid check, or None: not a media mode, or kept out of the checks."""
    info = entry.get("model_info") if isinstance(entry, Mapping) else None
    if not isinstance(info, Mapping):
        return None
    mode = _value(info.get("mode"))
    if mode not in PAID_MODES or _value(info.get("disable_background_health_check")):
        return None
    unit, fields = PAID_MODES[mode]
    price = None
    for field, amount, amount_unit in fields:
        value = _value(info.get(field))
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            price = (field, float(value), float(amount), amount_unit)
            break
    name = _value(entry.get("model_name"))
    return PaidCheck(source, entry, name if isinstance(name, str) else None, mode, unit, price)


def add_findings(merged: dict, ctx) -> None:
    """One warning per paid deployment the background checks of this config would call."""
    noted: list[PaidCheck] = getattr(ctx, _NOTED, None) or []
    settings = merged.get("general_settings") or []
    general = settings[-1][1] if settings else None
    if not noted or not isinstance(general, Mapping) \
            or not _value(general.get("background_health_checks")):
        return
    interval = checks_interval(general, ctx.env)
    if interval is None:
        return  # the proxy's loop stops at once on an interval that is not a whole number
    groups = general.get("background_health_check_model_groups")
    if isinstance(groups, Sequence):
        allowed = {_value(item) for item in groups.items if isinstance(item, Scalar)}
        noted = [paid for paid in noted if paid.model_name in allowed]
    per_day = SECONDS_A_DAY / interval
    costs = [paid.per_check * per_day for paid in noted if paid.per_check is not None]
    total = (f" (all {len(costs)} priced media deployments: about {_dollars(sum(costs))} a "
             "day)" if len(costs) > 1 else "")
    for paid in noted:
        label = f"model {paid.model_name!r}" if paid.model_name else "this entry"
        count = f"{per_day:,.0f} {paid.unit}s a day"
        if paid.price is None:
            bill = f"{count}, each billed (priced per token, so no figure here)"
        else:
            field, value, amount, unit = paid.price
            each = f" x {amount:g} {unit} a check" if unit else ""
            bill = (f"{count}, about {_dollars(paid.per_check * per_day)} a day at "
                    f"model_info.{field} {plain_number(value)}{each}")
        ctx.add(paid.source, paid.node, "health-check-cost",
                f"{label}: background health checks ({paid.mode}, every {interval:g} s) send "
                f"it {bill}{total}; model_info.disable_background_health_check: true keeps it "
                "out (litellm-gen's presets carry it unless merged with --health-check-media)")


def checks_interval(general: Mapping, env) -> float | None:
    """Seconds between two checks, as the proxy reads them; None when it makes none."""
    node = general.get("health_check_interval")
    if node is None:
        fallback = env.get("DEFAULT_HEALTH_CHECK_INTERVAL", "")
        return float(int(fallback)) if fallback.strip().isdigit() and int(fallback) > 0 \
            else float(DEFAULT_INTERVAL)
    value = _value(node)
    # `isinstance(health_check_interval, int)` and `> 0`, or the loop returns at once
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return float(value)
    return None


def _value(node):
    if not isinstance(node, Scalar):
        return None
    try:
        return value_of(node)
    except ValueError:  # a value the loader cannot build: its own finding says so
        return None


def _dollars(amount: float) -> str:
    return f"${amount:,.2f}" if amount >= 0.01 else f"${amount:.4f}"


def plain_number(value) -> str:
    """A number as a config file writes it: 0.000015, never 1.5e-05."""
    if isinstance(value, float) and value == value and value not in (float("inf"), -float("inf")):
        from decimal import Decimal
        return format(Decimal(repr(value)), "f")
    return str(value)
