"""litellm-gen: merge OpenAI-only model presets into a LiteLLM proxy's config.yaml."""
__version__ = "0.1.0"
