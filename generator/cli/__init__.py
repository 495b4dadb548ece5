"""The `litellm-gen` command line: translates options, calls the other packages, prints.

app.py holds the typer application, the options every command shares and the exit codes;
report.py says results in words for people and as JSON for scripts. The one error type
(boundary/errors.py) is caught once, here.

May import: every package of generator. Nothing imports it but generator/__main__.py.
"""
