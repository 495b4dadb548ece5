"""litellm releases reported compromised and withdrawn: what must never run as the proxy.

What backs each entry is said beside it: these are published reports, not recorded runs.
validate's supply-chain findings (validate/pins.py) and the release sentence
(releases/choice.py) read them.
"""
from __future__ import annotations

from generator.releases.rules import version_key

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
