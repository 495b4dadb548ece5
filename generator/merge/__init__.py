"""The merge: config text + rendered presets -> new text + the actions taken, proven.

The pure core (no files, no printing, no clock): scan.py finds where things are in the text
from libyaml's events (scan_state.py follows the nodes it looks into, scan_skim.py reads
everything else in one tight loop, scan_checks.py refuses what the proxy would refuse or
misread, scan_result.py holds what it finds); block.py knows the tool's fenced block and its
marker lines; plan.py plans the edit (`plan_merge`); prove.py proves the result with the
proxy's loader before anything is written; manifest.py does the same for a config embedded
in a Kubernetes ConfigMap; selection.py reads and writes the operator's choice of presets
in the BEGIN marker line; model.py holds the types. Its edge: reading.py reads a config and
the files it includes, apply.py reads, plans and applies the plan (write, diff, check) as
black's WriteBack does.

May import: generator.boundary (the pure modules only errors, loader and secrets).
"""
