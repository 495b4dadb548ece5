"""Pins to withdrawn, compromised litellm releases, and image tags that float.

Not what the proxy does with a config, but what runs as the proxy: a manifest, a Helm
values file, a Dockerfile or a requirements file that pins a release reported
compromised gets an error; an image tag that moves (latest, main-latest, main-stable, or
none) a warning that names a tag to pin instead. What backs each entry is said beside it:
these are published reports, not recorded runs. Pure: pins in, findings out.
"""
from __future__ import annotations

from .findings import Finding
from .release_pin import Pin
from .release_rules import version_key

# release, or minor line "1.107": what reported it compromised.
COMPROMISED = {
    "1.82.7": "LiteLLM issue 24518: the wheel on PyPI ran a credential stealer at Python "
              "start-up; it was withdrawn",
    "1.82.8": "LiteLLM issue 24518: the wheel on PyPI ran a credential stealer at Python "
              "start-up; it was withdrawn",
    "1.107": "the October 2026 incident (as the litellm-check package describes it): every "
             "1.107 release was withdrawn, and images with floating tags pulled then carried it",
}


def compromised(release: str | None) -> str | None:
    """Why `release` must not run, or None."""
    if release is None:
        return None
    key = version_key(release)
    line = ".".join(map(str, key[:2]))
    return COMPROMISED.get(".".join(map(str, key[:3]))) or COMPROMISED.get(line)


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
