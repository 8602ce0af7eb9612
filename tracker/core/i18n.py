"""Marking translatable text in modules that must not import Flask.

`N_` only marks a string for extraction (pybabel's keyword list includes it);
the caller translates it with gettext when it is shown, in the user's language.
"""


def N_(message: str) -> str:
    return message
