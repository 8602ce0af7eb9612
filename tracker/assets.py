"""Where templates/, static/ and seed_tasks.json are: inside an installed package, or at the checkout's top."""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def asset_path(name: str) -> Path:
    """A wheel carries the assets inside the package (setup.py copies them); a checkout keeps them on top."""
    inside = PACKAGE / name
    return inside if inside.exists() else PACKAGE.parent / name
