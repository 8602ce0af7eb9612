"""Unit names as a clerk writes them: one spelling for lookup, what looks like a unit, collective words.

Only rules that hold in every Chinese city live here (市发改委 is 市发展和改革委员会
everywhere); what a name means in one city is that city's roster or database.
"""
from __future__ import annotations

import re

_SPACES = re.compile(r"\s+")
_TRAILING = "。．.；;：:等"
_LIST_ENDINGS = re.compile(r"等(?:有关|相关)?(?:部门|单位)$")
_HALF_TO_FULL = str.maketrans({"(": "（", ")": "）"})

UNIT_ENDING = re.compile(
    r"(?:局|委|委员会|办|办公室|院|厅|政府|中心|部|署|会|所|公司|集团|室|组|队|馆|社|行|台|站|处|区|县|市|镇|乡|"
    r"街道|管委会|单位|部门|法院|检察院|海关|支队|总队|大学|学院|联合会|妇联|科协|侨联|残联|文联|团市委|银行|"
    r"分局|镇办|县市区|各方面|工商联|联)(?:（[^（）]{1,12}）)?$"
)
COLLECTIVE = re.compile(r"^各|成员单位$|^市级相关部门$|^市直.*有关部门$|^(?:其他)?(?:相关|有关)(?:部门|单位)$|^市直各部门$")

# Abbreviations that mean the same in every city; a city's own names (市市场监督管理局（知识产权局）)
# belong to its roster, never here.
GENERIC_ABBREVIATIONS = {
    "发改委": "发展和改革委员会",
    "工信局": "工业和信息化局",
    "科技局": "科学技术局",
    "市场监管局": "市场监督管理局",
    "住建局": "住房和城乡建设局",
    "人社局": "人力资源和社会保障局",
    "卫健委": "卫生健康委员会",
    "应急局": "应急管理局",
    "城管局": "城市管理局",
    "交通局": "交通运输局",
    "农业农村委": "农业农村委员会",
}


def normalise_unit_name(written: str) -> str:
    """市 商务局 / 市市场监督管理局(知识产权局) / 市财政局等 → the spelling the roster uses."""
    name = _SPACES.sub("", written).translate(_HALF_TO_FULL)
    name = _LIST_ENDINGS.sub("", name)
    return name.rstrip(_TRAILING)


def looks_like_unit(written: str) -> bool:
    """市商务局, 各县市区, 市知识产权局（牵头）: a unit's name, not prose or a year."""
    name = normalise_unit_name(written)
    return 2 <= len(name) <= 40 and "。" not in name and not re.search(r"[0-9０-９]", name) and bool(
        UNIT_ENDING.search(name) or COLLECTIVE.search(name))


def is_collective(name: str) -> bool:
    """各县（市、区）人民政府, 各镇办, 市级相关部门, …成员单位: a group whose members a person sets."""
    return bool(COLLECTIVE.search(normalise_unit_name(name)))


def expand_generic(name: str) -> str:
    """市发改委 → 市发展和改革委员会: only abbreviations that hold in every city."""
    name = normalise_unit_name(name)
    for short, full in GENERIC_ABBREVIATIONS.items():
        if name.endswith(short):
            return name[: -len(short)] + full
    return name
