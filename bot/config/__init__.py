"""The association's configuration: one YAML file, validated with every error reported at once."""

from bot.config.errors import ConfigError, ConfigProblem
from bot.config.loader import load_config, parse_config
from bot.config.model import AssociationConfig

__all__ = ["AssociationConfig", "ConfigError", "ConfigProblem", "load_config", "parse_config"]
