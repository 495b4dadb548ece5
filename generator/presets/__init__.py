"""Presets: which templates exist, which a run uses, and each rendered as a checked entry.

catalog.py finds the shipped templates and an operator's own, choice.py filters them by set,
name and category, rendering.py renders a Jinja2 template into a model_list entry and checks
it, cache.py keeps rendered presets between runs so most runs never import Jinja2.

May import: generator.boundary, generator.merge (the types and the entry check).
"""
