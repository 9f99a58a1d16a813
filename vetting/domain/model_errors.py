"""A risk-model file that cannot be used, told to the officer: where (line and column) and what, in their language."""
from __future__ import annotations

import re
import tomllib

from ..risk import ModelError
from .errors import InvalidInput
from .message import _l

_AT = re.compile(r"^(?P<reason>.*?)\s*\(at line (?P<line>\d+), column (?P<column>\d+)\)\s*$")
_AT_END = re.compile(r"^(?P<reason>.*?)\s*\(at end of document\)\s*$")
_LINE = re.compile(r"^line (?P<line>\d+)")
# tomllib's reasons (CPython Lib/tomllib/_parser.py), in words an officer reads.
_TOML_REASONS = {
    "Invalid value": _l("a value that is not a number, text in quotes, a date, true/false or a list"),
    "Invalid statement": _l("a line that is neither key = value nor a [table] header"),
    "Expected '=' after a key in a key/value pair": _l("= is missing after the key"),
    "Unclosed array": _l("a list [ … ] that is not closed"),
    "Unterminated string": _l("text whose quote is not closed"),
    "Cannot overwrite a value": _l("a key given twice"),
    "Cannot declare": _l("a table declared twice"),
    "Invalid initial character for a key part": _l("a key that begins with a character a key cannot have"),
    "Illegal character": _l("a character that is not allowed here"),
    "Expected newline or end of document after a statement": _l("more than one statement on the line"),
}


class ModelInvalid(InvalidInput):
    """A model file refused; ``problems`` are the loader's own lines (the file's keys, in English) by line."""

    def __init__(self, message: object, line: int | None, column: int | None, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message, "text")
        self.line, self.column, self.problems = line, column, problems


def _reason(text: str) -> object:
    for start, words in _TOML_REASONS.items():
        if text.startswith(start):
            return words
    return _l("text that cannot be read as TOML")


def explain(exc: ModelError) -> ModelInvalid:
    """The refusal of a model file: for a TOML syntax error the line, the column and what is wrong there;
    for a model that parses but breaks a rule the first line concerned and every problem found."""
    cause = exc.__cause__
    if isinstance(cause, tomllib.TOMLDecodeError):
        text = str(cause)
        if match := _AT.match(text):
            line, column = int(match["line"]), int(match["column"])
            return ModelInvalid(_l("The model file is not valid TOML: line %(line)s, column %(column)s: %(reason)s.",
                                   line=line, column=column, reason=_reason(match["reason"])), line, column)
        reason = _reason(_AT_END.sub(r"\g<reason>", text))
        return ModelInvalid(_l("The model file is not valid TOML: the file ends too early: %(reason)s.",
                               reason=reason), None, None)
    lines = [int(m["line"]) for e in exc.errors if (m := _LINE.match(e))]
    first = min(lines) if lines else None
    message = (_l("The model cannot be used: %(n)s problems, the first on line %(line)s (listed below).",
                  n=len(exc.errors), line=first) if first is not None else
               _l("The model cannot be used: %(n)s problems (listed below).", n=len(exc.errors)))
    return ModelInvalid(message, first, None, exc.errors)
