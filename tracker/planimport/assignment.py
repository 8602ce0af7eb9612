"""Which responsibility block covers which task.

A block written inside a task's paragraph is that task's own. A block on a line of
its own covers every task above it, back to the previous block of the same section:
that is how a 重大工程 project lists one set of units for all its tasks.
"""
from __future__ import annotations

from dataclasses import dataclass

from .blocks import Block, find_blocks
from .outline import Item


@dataclass(frozen=True)
class PlacedBlock:
    block: Block
    owner: Item  # the paragraph the block is written in, to name its lines

    def line_of(self, offset: int) -> int:
        return self.owner.line_of(offset)


def assign_blocks(section_items: list[Item]) -> list[tuple[Item, list[PlacedBlock]]]:
    """Each item of one section with the blocks that cover it (an empty list: none)."""
    covered: dict[int, list[PlacedBlock]] = {}
    waiting: list[Item] = []  # tasks above, still without a block
    for item in section_items:
        blocks = [PlacedBlock(block, item) for block in find_blocks(item.text)]
        own = [placed for placed in blocks if not _on_own_line(item.text, placed.block)]
        if own:
            waiting = []  # a task above whose paragraph had no block stays without one
            covered[id(item)] = blocks
        elif blocks:
            for task in (*waiting, item):
                covered[id(task)] = blocks
            waiting = []
        else:
            waiting.append(item)
    return [(item, covered.get(id(item), [])) for item in section_items]


def _on_own_line(text: str, block: Block) -> bool:
    line_start = text.rfind("\n", 0, block.start)
    return line_start >= 0 and not text[line_start + 1 : block.start].strip()
