"""validate: what the pinned LiteLLM proxy will do with a config, said before it restarts.

The rule registry (registry.py: one registered unit per rule, as ruff's), the checks by
section of the config (checks/), what the checks need to know (lax.py: pydantic's lax types;
shapes.py; pymodules.py: what an import of a callback finds; health_checks.py;
deployment_env.py: the environment a manifest declares; pins.py: supply-chain findings),
the edges (per_file.py reads one file and checks it; run.py runs over several files, judges,
suppresses and reports; with_proxy.py starts the real proxy; upgrade.py compares two
releases), suppression.py, the output formats (output.py) and the JSON Schema (schema.py).

May import: generator.boundary, generator.merge, generator.releases.
"""
