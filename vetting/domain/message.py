"""Words for the user that the domain names but does not translate: ``_l(msgid, **params)``.

The domain raises errors and builds labels in English msgids; the reader's language is known only
where a page, a PDF or a command renders them. A ``Message`` keeps the msgid and its parameters and
turns into text only when something asks for its text (``str()``, a template, a JSON answer), through
the translator the application installs (``install``: Flask-Babel's ``gettext`` in ``create_app``).
Without an application (a script on a bare connection) the msgid itself is the text. The keyword is
``_l`` so ``pybabel extract -k _l`` still finds every msgid in the domain.

The object behaves like the text it renders (comparison, hashing, ``%``, ``+``, ``len``, string
methods) as Flask-Babel's lazy strings do, so callers need not care; in a template its parameters
are escaped like any other text.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from markupsafe import escape

_translate: Callable[[str], str] = str
_language: Callable[[], str] = lambda: "sv"  # noqa: E731 - the agency's language when nothing says otherwise


def install(translate: Callable[[str], str], language: Callable[[], str]) -> None:
    """Set how msgids become text and which language the reader reads (once, by the application)."""
    global _translate, _language
    _translate, _language = translate, language


def language() -> str:
    """The reader's two-letter language ("sv" outside a request or without an application)."""
    try:
        return str(_language() or "sv")[:2]
    except RuntimeError:  # outside a request (command line): the agency's language
        return "sv"


def render(msgid: str, params: dict[str, Any] | None = None) -> str:
    """The msgid translated now, with its parameters put in (``%(name)s``), as gettext does."""
    text = _translate(msgid)
    return text % params if params else text


class Message:
    """An English msgid with parameters, translated when it is read (see the module docstring)."""

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, params: dict[str, Any] | None = None) -> None:
        self.msgid = msgid
        self.params = params or {}

    def __str__(self) -> str:
        return render(self.msgid, self.params)

    def __html__(self) -> str:
        return str(escape(str(self)))

    def __repr__(self) -> str:
        return f"Message({self.msgid!r}, {self.params!r})"

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):  # copy/pickle probe dunders: a Message is not a str
            raise AttributeError(attr)
        return getattr(str(self), attr)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Message, (self.msgid, self.params))

    def __len__(self) -> int:
        return len(str(self))

    def __getitem__(self, key: Any) -> str:
        return str(self)[key]

    def __iter__(self) -> Iterator[str]:
        return iter(str(self))

    def __contains__(self, item: object) -> bool:
        return item in str(self)  # type: ignore[operator]

    def __add__(self, other: Any) -> str:
        return str(self) + other

    def __radd__(self, other: Any) -> str:
        return other + str(self)

    def __mod__(self, other: Any) -> str:
        return str(self) % other

    def __eq__(self, other: object) -> bool:
        return str(self) == other

    def __ne__(self, other: object) -> bool:
        return str(self) != other

    def __lt__(self, other: Any) -> bool:
        return str(self) < other

    def __le__(self, other: Any) -> bool:
        return str(self) <= other

    def __gt__(self, other: Any) -> bool:
        return str(self) > other

    def __ge__(self, other: Any) -> bool:
        return str(self) >= other

    def __hash__(self) -> int:
        return hash(str(self))


def _l(msgid: str, **params: Any) -> Message:
    """A message for the user, translated when it is shown (``pybabel extract -k _l`` finds it)."""
    return Message(msgid, params)
