import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

# The render cache lives in the user's cache folder: the tests (and the processes they start)
# get one of their own, so they neither read nor leave entries in the real ~/.cache.
_CACHE = tempfile.TemporaryDirectory(prefix="litellm-gen-tests-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE.name


import pytest  # noqa: E402


@pytest.fixture(scope="session")
def generated_verdicts():
    """validate on every generated case of the base release, judged (oracle_replay)."""
    import oracle_replay

    return oracle_replay.replay(oracle_replay.generated_cases())


@pytest.fixture(scope="session")
def release_verdicts():
    """The same for every other recorded release, on the cases it is held to."""
    import oracle_records
    import oracle_replay

    return {release: oracle_replay.replay(oracle_replay.release_cases(release))
            for release in oracle_records.recorded_releases()[1:]}


@pytest.fixture(scope="session")
def realistic_verdicts():
    """validate on the realistic whole configs of every release they were recorded on."""
    import oracle_replay
    import realistic_records

    return {release: oracle_replay.replay(realistic_records.cases(release))
            for release in realistic_records.RELEASES}
