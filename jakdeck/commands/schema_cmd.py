"""``jakdeck schema [--content]``: the JSON Schema of the config or the content file, on stdout."""

from __future__ import annotations

import json

from ..json_schema import config_schema, content_schema


def schema(content: bool = False) -> int:
    print(json.dumps(content_schema() if content else config_schema(), indent=2, ensure_ascii=False))
    return 0
