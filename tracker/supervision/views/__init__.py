"""The supervision office's pages, split by what they serve; one blueprint."""
from flask import Blueprint
from flask_babel import gettext

bp = Blueprint("supervision", __name__, url_prefix="/supervision")


@bp.app_template_filter("said")
def said(reason) -> str:
    """A light's reason or a written rule in the user's language (its msgid params translated too)."""
    return reason.text(gettext)


@bp.app_template_filter("light_name")
def light_name(colour) -> str:
    """A light colour's name in the user's language. A filter, unlike `_()`, does not copy the
    template's context when called inside a loop: the lagging table calls it once per row."""
    return gettext(colour.label)


from tracker.supervision.views import (  # noqa: E402,F401,I001
    bulletin, downloads, marks, milestones, office, review, rules, scores, units,
)
