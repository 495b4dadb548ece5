from litellm.integrations.custom_logger import CustomLogger

handler = CustomLogger()
