import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

# The render cache lives in the user's cache folder: the tests (and the processes they start)
# get one of their own, so they neither read nor leave entries in the real ~/.cache.
_CACHE = tempfile.TemporaryDirectory(prefix="litellm-gen-tests-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE.name
