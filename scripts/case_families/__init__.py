"""The families of generated cases that scripts/gen_cases.py writes, one module a part.

Each family is a function that adds its cases to a Cases (config.py), in a fixed order:
the case ids, and so the recorded runs, depend on it. values.py writes values of a key's
declared type; keys.py, top_level.py, model_list.py, modules.py, general.py,
litellm_settings.py, router.py and documents.py each cover a part of the config;
releases.py, written last, the cases that tell releases apart. Needs no litellm: the keys
and their types come from generator/releases/rules.json. A development tool: the package
never imports it.
"""
