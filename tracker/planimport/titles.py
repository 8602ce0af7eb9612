"""Short titles for tasks, and the plan's own title and years.

A task usually opens with its title as a sentence of its own (“1. 加强品牌建设。…”).
When it opens with a long sentence instead, a person would title it by its first
clause if that clause is a short action phrase, else by the project it belongs to.
"""
from __future__ import annotations

import re

from .numerals import chinese_number
from .outline import ITEM_DOT, PART, SECTION

HEADING_SENTENCE_MAX = 30  # “建立健全知识产权高质量发展统计监测体系” is 19
CONCISE_CLAUSE_MAX = 15  # a clause longer than this reads as a sentence, not a title
LONG_CLAUSE_MAX = 30
CLAUSE_BREAKS = "，,；;：:"
# a clause opening with one of these sets the scene (按照…的要求), it does not name an action
SCENE_SETTERS = ("按照", "根据", "围绕", "依托", "为了", "为", "在", "对", "通过", "以", "随着", "结合")
FIVE_YEAR = re.compile(r"(?P<numeral>十[一二三四五六七八九]|二十[一二三四五六七八九]?)五(?!年)")
NTH_FIVE_YEAR = re.compile(r"第(?P<numeral>十[一二三四五六七八九]|二十[一二三四五六七八九]?)个五年")
OPENING_LINES = 30
ONE_YEAR = re.compile(r"(?P<year>20\d\d)\s*年(?:度)?")
YEAR_RANGE = re.compile(r"(?P<start>20\d\d)\s*[-－—–~～至到]+\s*(?P<end>20\d\d)")


def task_title(text: str, section_title: str, only_task_in_section: bool) -> str:
    """加强知识产权现代化治理的制度供给。聚焦… → 加强知识产权现代化治理的制度供给."""
    first_sentence = re.split(r"[。！？]", text.strip(), maxsplit=1)[0]
    if len(first_sentence) <= HEADING_SENTENCE_MAX and not any(c in first_sentence for c in CLAUSE_BREAKS):
        return first_sentence.strip()
    clause = _first_clause(first_sentence)
    if _is_concise(clause):
        return clause
    if only_task_in_section and section_title:
        return _action_phrase(section_title)
    return _shorten(clause)


def _first_clause(sentence: str) -> str:
    return re.split(f"[{CLAUSE_BREAKS}]", sentence, maxsplit=1)[0].strip()


def _is_concise(clause: str) -> bool:
    return 0 < len(clause) <= CONCISE_CLAUSE_MAX and "、" not in clause and not clause.startswith(SCENE_SETTERS)


def _action_phrase(heading: str) -> str:
    """落实创新驱动战略，实施高价值专利培育工程 → 实施高价值专利培育工程 (the heading's last clause)."""
    clauses = [c.strip() for c in re.split(f"[{CLAUSE_BREAKS}]", heading) if c.strip()]
    projects = [c for c in clauses if c.endswith("工程")]
    return (projects or clauses or [heading])[-1]


def _shorten(clause: str) -> str:
    """Cut only before an enumeration comma (、), so that no word is ever cut in half."""
    while len(clause) > LONG_CLAUSE_MAX and "、" in clause:
        clause = clause.rsplit("、", 1)[0]
    return clause


def plan_title(lines: list[str]) -> tuple[str, int | None]:
    """The title: the first lines up to the first blank line (at most three), if they are not prose."""
    title, first = [], None
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text:
            if title:
                break
            continue
        if "。" in text or len(title) == 3 or any(p.match(text) for p in (PART, SECTION, ITEM_DOT)):
            break
        first = first or number
        title.append(text)
    return "".join(title), first


def plan_years(title: str, text: str) -> tuple[int | None, int | None]:
    """The plan's own words: “2026—2030年” or “十五五” / “第十五个五年” in the title, else in its opening.

    二〇三五年远景目标 is the long-range vision, not the plan's end; a bare “到2030年” says
    when a target falls due, not when the plan began, so without more the years stay unknown.
    """
    if match := YEAR_RANGE.search(title):
        return int(match["start"]), int(match["end"])
    if match := ONE_YEAR.search(title):  # 2027年…推进计划: a year's own plan
        return int(match["year"]), int(match["year"])
    opening = "\n".join(text.split("\n")[:OPENING_LINES])
    for words in (title, opening):
        if ordinal := _five_year_ordinal(words):
            start = 1966 + 5 * (ordinal - 3)  # the 3rd five-year plan began in 1966, after three years' adjustment
            return start, start + 4
    if match := YEAR_RANGE.search(opening):
        return int(match["start"]), int(match["end"])
    return None, None


def _five_year_ordinal(words: str) -> int | None:
    for pattern in (FIVE_YEAR, NTH_FIVE_YEAR):
        if match := pattern.search(words):
            return chinese_number(match["numeral"])
    return None
