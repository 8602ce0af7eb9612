"""Responsibility annotations (责任分工标注): where they are in a paragraph, who leads, who assists.

Cities write them in several styles (see DOMAIN.md, "Other cities' plans"):
A `[责任单位：X、Y]` / `（责任单位：X，Y）` / `【责任部门：…】` / `主要责任单位：…` (first leads);
B `（牵头单位：X；责任单位：Y、Z）`, also after an attribute `（预期性指标，牵头单位：…）`;
C `（牵头部门：X，配合部门：Y）`, `（牵头：X；配合：Y）`, 协同单位, 参与单位;
D `（X、Y牵头，Z按职责分工负责）`, `（X牵头，Y配合）`;
E `（X、Y、Z负责）` (first leads). Inside any of them a name may carry its own marker
(`市生态环境局（牵头）`). Brackets are often nested in names (市市场监督管理局（知识产权局）)
and lines break inside names (`市⏎商务局`). A bracket that plainly annotates units but in
words not understood (`（主办：市某局）`) comes back as an unread block, so that the task
is reported as such and never takes the next task's block.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .units import looks_like_unit

LEAD_LABELS = ("牵头责任单位", "牵头单位", "牵头部门", "主责单位", "主责部门", "牵头")
RESPONSIBLE_LABELS = ("主要责任单位", "责任单位", "责任部门", "责任主体")
CO_LABELS = ("配合单位", "配合部门", "协同单位", "协同部门", "参与单位", "参与部门", "协办单位", "配合", "协同", "参与")
DEADLINE_LABELS = ("完成时限", "完成时间", "时限")
_LABELS = sorted((*LEAD_LABELS, *RESPONSIBLE_LABELS, *CO_LABELS, *DEADLINE_LABELS), key=len, reverse=True)
LABEL = re.compile(rf"(?P<label>{'|'.join(_LABELS)})[ \t\u3000\n]*[：:]")
# without brackets only at the start of a line, so prose such as “各责任单位：要……” is never a block
LINE_LABEL = re.compile(rf"(?m)^[ \t\u3000]*(?:{'|'.join(_LABELS)})[ \t\u3000]*[：:]")
# where the next annotation opens: an unclosed bracket is never read past it
NEXT_BRACKETED = re.compile(rf"[\[【［〔（(][ \t\u3000]*(?:{'|'.join(_LABELS)})[ \t\u3000]*[：:]")
UNKNOWN_LABEL = re.compile(r"^[ \t\u3000\n]*(?P<label>[^：:，,；;、（）()\n]{1,8})[ \t\u3000]*[：:](?P<rest>.+)$", re.S)
LEAD_VERBS = ("牵头负责", "牵头")
CO_VERBS = ("按职责分工负责", "按职责分工落实", "按职责负责", "分工负责", "共同负责", "配合", "协同", "参与")
ALL_VERB = "负责"
LEAD_MARKER = re.compile(r"[（(]\s*牵头\s*[）)]")
RESPONSIBILITY_WORDS = re.compile("牵头|配合|负责|责任单位|责任部门|协办|主办|承办")

OPENERS = "[【［〔（("
SQUARE_OPENERS = "[【［〔"
SQUARE_CLOSERS = "]］】〕"
ROUND_OPEN, ROUND_CLOSE = "（(", "）)"
NAME_SEPARATORS = "、，,；;"
CLAUSE_SEPARATORS = "，,；;"
MAX_BLOCK_LINES = 6  # a closer further away than this is a typo, not a long block
NEW_PARAGRAPH = re.compile(
    r"\n[ \t\u3000]*(?:[0-9０-９]{1,3}\s*[.．、](?![0-9０-９])|[（(][一二三四五六七八九十0-9０-９]{1,3}[）)]|[一二三四五六七八九十]{1,3}、)"
)


@dataclass(frozen=True)
class WrittenName:
    text: str  # as written, line breaks and markers removed
    offset: int  # where it starts in the paragraph, to name its line


@dataclass(frozen=True)
class Block:
    start: int  # offset of the opener in the paragraph
    end: int  # offset just past the closer
    units_text: str  # the list as written, line breaks removed
    names: tuple[WrittenName, ...]  # the leads first, then the co-responsible units
    closed: bool
    leads: int = 1  # how many of `names` lead
    style: str = "A"
    deadline: str = ""  # 完成时限 as written
    unread: bool = False  # plainly an annotation, but in words the importer does not understand

    @property
    def lead_names(self) -> tuple[WrittenName, ...]:
        return self.names[: self.leads]


def find_blocks(text: str) -> list[Block]:
    """Every responsibility annotation in `text`, in order."""
    blocks = []
    position = 0
    while True:
        opener = _next_opener(text, position)
        line_label = LINE_LABEL.search(text, position)
        if line_label and (opener is None or line_label.start() < opener):
            end = _line_end(text, line_label.start())
            start = line_label.start() + len(line_label.group()) - len(line_label.group().lstrip(" \t\u3000"))
            block = _classify(text, start, start, end, closed=True, bracketed=False)
            if block:
                blocks.append(block)
            position = max(end, line_label.end())
            continue
        if opener is None:
            return blocks
        close = _closing_bracket(text, opener + 1, text[opener])
        body_end = close if close is not None else _line_end(text, opener)
        block = _classify(text, opener, opener + 1, body_end, closed=close is not None, bracketed=True)
        if block:
            blocks.append(block)
            position = block.end
        else:
            position = opener + 1


def _next_opener(text: str, start: int) -> int | None:
    positions = [p for p in (text.find(c, start) for c in OPENERS) if p >= 0]
    return min(positions) if positions else None


def _classify(text: str, start: int, body_start: int, body_end: int, *, closed: bool, bracketed: bool) -> Block | None:
    """The block written from `start`, or None if the bracket holds prose, not units."""
    body = text[body_start:body_end]
    end = body_end + 1 if bracketed and closed else body_end
    labels = _labels(body)
    if labels and _is_attribute(body[: labels[0].start()]):
        block = _labelled(body, body_start, labels)
    else:
        block = _verbs(body, body_start) or _marked(body, body_start)
    if block is not None:
        if not bracketed or closed or labels:
            return Block(start, end, block.units_text, block.names, closed, block.leads, block.style,
                         block.deadline)
        return None
    if _is_unread(body):
        return Block(start, end, _join_lines(text[start:end]), (), closed, 0, "?", unread=True)
    return None


def _labels(body: str) -> list[re.Match]:
    return [m for m in LABEL.finditer(body) if _depth(body, m.start()) == 0]


def _is_attribute(prefix: str) -> bool:
    """（预期性指标，牵头单位：…）: a short attribute may come before the first label."""
    prefix = prefix.strip(" \t\u3000\n")
    return not prefix or (len(prefix) <= 12 and prefix[-1] in "，,；;、" and not looks_like_unit(prefix[:-1]))


def _labelled(body: str, base: int, labels: list[re.Match]) -> Block | None:
    leads: list[WrittenName] = []
    responsible: list[WrittenName] = []
    co: list[WrittenName] = []
    deadline, has_lead_label = "", False
    for index, label in enumerate(labels):
        segment_end = labels[index + 1].start() if index + 1 < len(labels) else len(body)
        segment = body[label.end():segment_end]
        kind = label["label"]
        if kind in DEADLINE_LABELS:
            deadline = _join_lines(segment).strip("，,；;。 ")
            continue
        marked, others = names_with_markers(segment, base + label.end())
        if kind in LEAD_LABELS:
            has_lead_label = True
            leads += [*marked, *others]
        elif kind in CO_LABELS:
            leads += marked
            co += others
        else:
            leads += marked
            responsible += others
    if has_lead_label or leads:
        co = responsible + co
    elif responsible:
        leads, co = responsible[:1], responsible[1:] + co
    elif co:
        leads, co = co[:1], co[1:]
    if not leads and not deadline:
        return Block(0, 0, _join_lines(body), (), True, 0, "A")
    only_responsible = all(m["label"] in RESPONSIBLE_LABELS for m in labels)
    units_text = _join_lines(body[labels[0].end():]) if only_responsible and len(labels) == 1 else _join_lines(body)
    kinds = {m["label"] for m in labels}
    style = "A" if only_responsible else ("C" if kinds & set(CO_LABELS) else "B")
    return Block(0, 0, units_text, tuple(leads + co), True, len(leads), style, deadline)


def names_with_markers(segment: str, base: int) -> tuple[list[WrittenName], list[WrittenName]]:
    """The names of one labelled list: those marked as leads (X（牵头）, X牵头，Y配合), and the others."""
    verbs = _verb_clauses(segment, base)
    if verbs is not None:
        leads, co, _ = verbs
        return leads, co
    marked, others = [], []
    for name in _split_names(segment, base):
        if LEAD_MARKER.search(name.text):
            marked.append(WrittenName(LEAD_MARKER.sub("", name.text), name.offset))
        else:
            others.append(name)
    return marked, others


def _verbs(body: str, base: int) -> Block | None:
    """（X、Y牵头，Z配合）（D）or（X、Y、Z负责）（E）: every clause names units and ends with a verb."""
    clauses = _verb_clauses(body, base)
    if clauses is None:
        return None
    leads, co, style = clauses
    if style == "E":
        leads, co = leads[:1], leads[1:] + co
    return Block(0, 0, _join_lines(body), tuple(leads + co), True, len(leads), style)


def _verb_clauses(body: str, base: int) -> tuple[list[WrittenName], list[WrittenName], str] | None:
    leads: list[WrittenName] = []
    co: list[WrittenName] = []
    responsible: list[WrittenName] = []
    any_verb = False
    for clause, offset in _pieces(body, base, CLAUSE_SEPARATORS):
        if clause.lstrip().startswith("由"):  # （由市工信局牵头，…）
            start = clause.index("由") + 1
            clause, offset = clause[start:], offset + start
        words = _compact(clause)
        verb = next((v for v in (*LEAD_VERBS, *CO_VERBS, ALL_VERB) if words.endswith(v)), None)
        written = clause.rstrip()
        if verb and written.endswith(verb):
            written = written[: -len(verb)]
        elif verb:  # the verb broken by a line (牵⏎头): cut it from the compact words
            written = words[: -len(verb)]
        names = _split_names(written, offset)
        if not names or not all(looks_like_unit(n.text) for n in names):
            return None
        any_verb = any_verb or verb is not None
        if verb in LEAD_VERBS:
            leads += names
        elif verb == ALL_VERB:
            responsible += names
        else:
            co += names
    if not any_verb:
        return None
    if leads:
        return leads, responsible + co, "D"
    if responsible or co:  # （X、Y负责）, （X、Y按职责分工负责）: the first named leads
        return responsible or co, co if responsible else [], "E"
    return None


def _marked(body: str, base: int) -> Block | None:
    """（市生态环境局（牵头）、市发改委）: a bare list of units where one carries the lead marker."""
    if not LEAD_MARKER.search(body):
        return None
    marked, others = names_with_markers(body, base)
    if not marked or not all(looks_like_unit(n.text) for n in (*marked, *others)):
        return None
    return Block(0, 0, _join_lines(body), tuple(marked + others), True, len(marked), "A")


def _is_unread(body: str) -> bool:
    """An annotation in words we do not know: （主办：市某局） or （由市某局牵头组织实施）."""
    if match := UNKNOWN_LABEL.match(body):
        names = _split_names(match["rest"], 0)
        if names and looks_like_unit(names[0].text):
            return True
    return bool(RESPONSIBILITY_WORDS.search(body)) and any(
        looks_like_unit(n.text) for n in _split_names(body, 0)) and len(body) <= 200


def _closing_bracket(text: str, start: int, opener: str) -> int | None:
    """Where the block closes; never past the next block, a new numbered paragraph or heading."""
    limit = start
    for _ in range(MAX_BLOCK_LINES):
        limit = _line_end(text, limit) + 1
    for boundary in (NEXT_BRACKETED.search(text, start), NEW_PARAGRAPH.search(text, start)):
        limit = min(limit, boundary.start()) if boundary else limit
    text = text[:limit]
    if opener in SQUARE_OPENERS:
        positions = [p for p in (text.find(c, start) for c in SQUARE_CLOSERS) if p >= 0]
        return min(positions) if positions else None
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if char in ROUND_OPEN:
            depth += 1
        elif char in ROUND_CLOSE:
            if depth == 0:
                return index
            depth -= 1
    return None


def _depth(text: str, end: int) -> int:
    depth = 0
    for char in text[:end]:
        if char in ROUND_OPEN:
            depth += 1
        elif char in ROUND_CLOSE:
            depth = max(depth - 1, 0)
    return depth


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def _join_lines(body: str) -> str:
    return "".join(line.strip() for line in body.split("\n"))


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pieces(body: str, base: int, separators: str) -> list[tuple[str, int]]:
    """`body` cut at separators outside brackets, each piece with its offset."""
    pieces, start, depth = [], 0, 0
    for index, char in enumerate(body):
        if char in ROUND_OPEN:
            depth += 1
        elif char in ROUND_CLOSE:
            depth = max(depth - 1, 0)
        elif char in separators and depth == 0:
            pieces.append((body[start:index], base + start))
            start = index + 1
    pieces.append((body[start:], base + start))
    return [(piece, offset) for piece, offset in pieces if piece.strip()]


def _split_names(body: str, base: int) -> tuple[WrittenName, ...]:
    """Split at separators outside brackets; a line break never ends a name (市⏎商务局)."""
    names = []
    for piece, offset in _pieces(body, base, NAME_SEPARATORS):
        lead = len(piece) - len(piece.lstrip())
        names.append(WrittenName(_compact(piece), offset + lead))
    return tuple(names)
