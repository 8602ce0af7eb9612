"""The one message type: a msgid with its parameters, said in the reader's language only when shown. Pure."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


def untranslated(text: str) -> str:
    return text


@dataclass(frozen=True)
class Message:
    code: str                                        # a stable key for filters, tests and the API
    template: str                                    # a Chinese msgid with %(name)s parameters
    params: Mapping[str, Any] = field(default_factory=dict)
    words: tuple[str, ...] = ()                      # params that are msgids themselves, translated too

    def text(self, gettext: Callable[[str], str] = untranslated) -> str:
        translated = gettext(self.template)
        if not self.params:
            return translated
        return translated % {k: gettext(v) if k in self.words else v for k, v in self.params.items()}
