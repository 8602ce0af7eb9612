"""The supervision office's pages, split by what they serve; one blueprint."""
from flask import Blueprint

bp = Blueprint("supervision", __name__, url_prefix="/supervision")

from tracker.supervision.views import downloads, marks, office, remind, review, units  # noqa: E402,F401
