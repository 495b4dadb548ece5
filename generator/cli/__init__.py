"""The `litellm-gen` command line: translates options, calls the other packages, prints.

One module per command, as pre-commit's commands/: merge.py, init.py, presets.py,
render.py, listing.py (`list`), verify.py, validate.py, schema.py. app.py holds the typer
application: the root options, the commands registered in the order --help lists them, and
the one edge where the one error type (boundary/errors.py), signals and a closed pipe are
caught. options.py declares the options several commands share and parses their values;
state.py holds what one run shares (the top-level -q, the arguments as given, the warning
line, the exit codes); report.py says results in words for people and as JSON for scripts.
The command modules import options.py and state.py, never app.py, which imports them.

May import: every package of generator. Nothing imports it but generator/__main__.py.
"""
