"""The supervision tests' small plan, for tests of other domains (see tests/supervision/conftest.py)."""
from .supervision.conftest import World, small_seed  # noqa: F401
