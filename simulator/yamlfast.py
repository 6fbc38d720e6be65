"""Reading YAML safely, with PyYAML's C parser where it is built.

The pure-Python parser is some ten times slower, and contracts, fixture files and YAML
request bodies all go through here. Importing this module imports PyYAML, so modules
on the start path import it where they first need it.
"""

from __future__ import annotations

from typing import IO, Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(source: bytes | str | IO[bytes]) -> Any:
    """The document in `source`; raises `yaml.YAMLError` when it is not YAML."""
    return yaml.load(source, Loader=_LOADER)
