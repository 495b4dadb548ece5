"""What a config lists and what a running proxy serves: `list` and `verify`.

listing.py reads a config's model_list offline as the proxy reads it; verify.py compares it
with what the proxy's /model/info answered (boundary/proxy_api.py asks).

May import: generator.boundary, generator.merge, generator.validate (a syntax error is
reported as validate reports it).
"""
