"""The boundary: everything litellm-gen takes in from the outside or gives out to it.

One door in and one door out. files.py is the only module that opens a file (reads refuse a
FIFO, a device or a folder before they can block; writes are atomic and keep a link a link).
secrets.py is the one masking policy for every printed value (deny by default: a value is
shown only under a key known to be safe), masked_text.py applies it to a whole config's
text. loader.py is the proxy's own YAML loader, the oracle of every proof; marked.py (with
marked_nodes.py) and places.py say where a value sits (line, column, key path). proxy_api.py
is the only network code (the proxy's /model/info). settings.py reads the repository's
`[tool.litellm-gen]`; errors.py holds the one error type for user-facing failures;
interrupts.py turns signals into one line; standard_streams.py guards standard output and
error, so a write they refuse is one line too.

May import: nothing else of generator. Every other package imports from here.
"""
