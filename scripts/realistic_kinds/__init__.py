"""The deployments and mistakes scripts/gen_realistic.py draws its realistic cases from.

draft.py drafts a whole deployment; first.py, second.py and third.py hold the kinds of
mistakes of each batch of cases, by class. Deterministic given the random generator the
caller seeds, and needs no litellm. A development tool: the package never imports it.
"""
