"""The lossy alternative: PyYAML with the C loader and dumper (every comment is lost)."""
import sys

import yaml

from presets_data import PRESETS

source, target = sys.argv[1], sys.argv[2]
with open(source, encoding="utf-8") as f:
    data = yaml.load(f, Loader=yaml.CSafeLoader)
data["model_list"].extend(PRESETS)
with open(target, "w", encoding="utf-8") as f:
    yaml.dump(data, f, Dumper=yaml.CSafeDumper, sort_keys=False)
