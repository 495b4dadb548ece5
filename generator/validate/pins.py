"""Findings about what runs as the proxy: pins to compromised releases, image tags that float.

Not what the proxy does with a config, but what runs as the proxy: a manifest, a Helm
values file, a Dockerfile or a requirements file that pins a release reported
compromised (releases/supply_chain.py) gets an error; an image tag that moves (latest,
main-latest, main-stable, or none) a warning that names a tag to pin instead. Pure: pins in,
findings out.
"""
from __future__ import annotations

from generator.releases.pins import Pin
from generator.releases.supply_chain import compromised
from generator.validate.registry import Finding


def pin_findings(path: str, pins: list[Pin], newest: str, lts: str | None) -> list[Finding]:
    """The supply-chain findings of the pins one file holds."""
    instead = f"main-v{newest}" + (f" (or main-v{lts}-lts on the long-term support line)"
                                    if lts else "")
    findings = []
    for pin in pins:
        why = compromised(pin.release)
        if why is not None:
            what = "image" if pin.kind in ("image", "helm") else "requirement"
            fix = (f"pin a release that was not, such as {instead}" if what == "image"
                   else f"pin a release that was not, such as litellm=={newest}")
            findings.append(Finding.of(
                "compromised-release", path, pin.line, pin.column,
                f"this {what} pins litellm {pin.release}, a release reported compromised "
                f"({why}); do not run it, rotate the credentials it could read, and {fix}"))
        elif pin.floating:
            tag = pin.text.rsplit(":", 1)[-1] if ":" in pin.text.rsplit("/", 1)[-1] else None
            findings.append(Finding.of(
                "floating-image-tag", path, pin.line, pin.column,
                (f"the image tag {tag!r} moves" if tag else "the image has no tag (it pulls "
                 "latest)") + ": the release that runs changes with any pull, unreviewed "
                "(images with floating tags pulled in the 1.107 window ran a compromised "
                f"release); pin a release tag such as {instead}, or a digest"))
    return findings
