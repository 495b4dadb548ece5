"""The lossless alternative: a ruamel.yaml round trip in the file's own indentation."""
import sys

from ruamel.yaml import YAML

from presets_data import PRESETS

source, target, dash = sys.argv[1], sys.argv[2], int(sys.argv[3])
yaml = YAML()  # round-trip mode keeps comments
yaml.preserve_quotes = True
yaml.indent(mapping=2, sequence=dash + 2, offset=dash)
with open(source, encoding="utf-8") as f:
    data = yaml.load(f)
data["model_list"].extend(PRESETS)
with open(target, "w", encoding="utf-8") as f:
    yaml.dump(data, f)
