"""The seed's five entries as data, for the alternatives to append."""
_SEED = [("tts-1", "audio_speech", "input_cost_per_character", 0.000015, ["tts"]),
         ("tts-1-hd", "audio_speech", "input_cost_per_character", 0.00003, ["tts", "hd"]),
         ("whisper-1", "audio_transcription", "input_cost_per_second", 0.0001, ["stt"]),
         ("dall-e-2", "image_generation", "output_cost_per_image", 0.02, ["image-gen"]),
         ("dall-e-3", "image_generation", "output_cost_per_image", 0.04, ["image-gen", "hd"])]
PRESETS = [{"model_name": name,
            "litellm_params": {"model": name, "api_key": "os.environ/OPENAI_API_KEY",
                               "tags": ["compat", "openai-real", *tags]},
            "model_info": {"litellm_provider": "openai", "mode": mode, cost: value,
                           "tags": ["compat", "openai-real", *tags]}}
           for name, mode, cost, value, tags in _SEED]
