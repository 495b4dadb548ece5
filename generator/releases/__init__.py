"""What is known of each litellm release: its rules, where a deployment pins it, which judges.

rules.py stores validate's rules for every known release as a base and differences
(rules.json, rules-releases.json; written by scripts/releases.py), pins.py reads the release
a deployment runs from an image tag, a Helm value or a requirement, choice.py says which
release's rules judge a file, supply_chain.py lists releases reported compromised.
image-packages.json says which Python packages each release's official image carries.

May import: generator.boundary.
"""
