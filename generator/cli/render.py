"""`litellm-gen render`: the selected presets as a standalone model_list document."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

from generator.boundary.errors import UserError
from generator.cli.options import (
    ApiKeyOpt,
    ExcludeOpt,
    HealthCheckMediaOpt,
    OnlyOpt,
    SetOpt,
    TemplatesOpt,
)


def render(
    only: Optional[List[str]] = OnlyOpt,
    exclude: Optional[List[str]] = ExcludeOpt,
    preset_set: Optional[List[str]] = SetOpt,
    templates: Optional[Path] = TemplatesOpt,
    api_key_env: str = ApiKeyOpt,
    health_check_media: bool = HealthCheckMediaOpt,
) -> None:
    """Print the selected presets as a standalone YAML document with a model_list."""
    from generator.merge.plan import STANDALONE_LAYOUT, render_block
    from generator.presets.choice import selected_presets

    chosen = selected_presets(preset_set, templates, only, exclude, api_key_env,
                              health_check_media)
    if not chosen:
        raise UserError("nothing to render: --only and --exclude leave no preset selected")
    sys.stdout.write("model_list:\n" + render_block(chosen, STANDALONE_LAYOUT))
