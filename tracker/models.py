"""Every domain's models, imported once so the metadata (and Alembic) sees every table."""
from tracker.core import audit  # noqa: F401
from tracker.domains import DOMAINS, optional_module

for _domain in DOMAINS:
    optional_module(_domain, "models")
