"""Problem messages: Chinese templates, translated to English for the web layer."""
from __future__ import annotations

import gettext
import re

import pytest

from tracker.planimport import problems

from .conftest import REPOSITORY

TRANSLATIONS = REPOSITORY / "tracker" / "translations"
TEMPLATES = [value for name, value in vars(problems).items() if name.isupper() and isinstance(value, str)]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_problem_message_has_an_english_translation_with_the_same_placeholders(template):
    english = gettext.translation("messages", TRANSLATIONS, ["en"]).gettext(template)
    assert english != template
    assert sorted(PLACEHOLDER.findall(english)) == sorted(PLACEHOLDER.findall(template))


def test_a_problem_reads_as_its_template_filled_in():
    problem = problems.error("task_without_units", 12, problems.TASK_WITHOUT_UNITS, number="5")
    assert (problem.message, problem.describe()) == ("任务5没有责任单位", "第12行：[错误] 任务5没有责任单位")
