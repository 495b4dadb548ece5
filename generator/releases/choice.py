"""Which release's rules judge a file, and the sentence that says why.

The order an operator expects: --litellm; the release the file itself pins (a proxy
image tag in the manifest, the Helm values image.tag); a pin in another file of the same
run (requirements, Dockerfile, pyproject); the litellm installed in this Python environment;
else the newest release the tool knows. A checkout's test environment (.venv-proxy) is not a
source: the verdict must not change because `make test` installed it. A release the tool has
no rules for is judged by the nearest one it has, and the sentence says so.

Pure: what was found in, a Judged out (validate_run reads the files and environments).
"""
from __future__ import annotations

from dataclasses import dataclass

from generator.releases import rules as release_rules
from generator.releases.pins import Pin


@dataclass(frozen=True)
class Judged:
    release: str            # a known release: its rules judge the file
    named: str | None       # the release the source names (None: none named anywhere)
    source: str             # where it was named, in words

    @property
    def nearest(self) -> bool:
        return self.named is not None and self.named != self.release

    @property
    def sentence(self) -> str:
        from generator.releases.supply_chain import compromised

        warning = (f"; litellm {self.named} was reported compromised and must not run"
                   if compromised(self.named) else "")
        return self._sentence() + warning

    def _sentence(self) -> str:
        if self.named is None:
            return (f"judged by litellm {self.release}, the newest release litellm-gen knows "
                    f"({self.source}; give --litellm RELEASE to judge by another)")
        if self.nearest:
            return (f"litellm {self.named} ({self.source}) is not a release litellm-gen has "
                    f"rules for: judged by the nearest it has, litellm {self.release}")
        return f"judged by litellm {self.release} ({self.source})"

    def as_dict(self) -> dict:
        return {"release": self.release, "named": self.named, "source": self.source,
                "nearest": self.nearest}


NOTHING_NAMED = ("no image tag, Helm image.tag or requirement pin names one, and this "
                 "Python environment has no litellm")


def judged_release(*, cli: str | None, file_pins: list[tuple[str, Pin]],
                   run_pins: list[tuple[str, Pin]], installed: list[tuple[str, str]]
                   ) -> Judged:
    """`file_pins`/`run_pins`: (path, pin) found in the file / in the run's pin files;
    `installed`: (release, where) of the litellm installations found."""
    named: tuple[str, str] | None = None
    if cli is not None:
        named = (cli.strip().removeprefix("v"), "--litellm")
    for path, pin in [*file_pins, *run_pins]:
        if named is None and pin.release is not None:
            named = (pin.release, "from " + pin.described(path))
    for release, where in installed:
        if named is None:
            named = (release, f"the litellm installed in {where}")
    if named is None:
        return Judged(release_rules.known_releases()[-1], None, NOTHING_NAMED)
    release, source = named
    return Judged(release_rules.nearest_known(release), release, source)
