"""click's own words (help headings, the help option, usage errors) in
Russian, whatever the user's locale.

click passes each of its messages through gettext (``from gettext import
gettext as _`` in each of its modules), in gettext's global domain and in
the language the environment's locale names.  Every word this project shows
is Russian, so the command must not depend on ``LANG``: :func:`install`
points those module-level names at a translation built from
``lang/data/click.toml``.  A message click adds in a later version and the
file lacks is shown in English — the test that scans the help for Latin
words is there to catch it.
"""

from __future__ import annotations

import gettext
import importlib

from pipeline.lang.data import load

_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils", "_termui_impl", "shell_completion")


class ClickRussian(gettext.NullTranslations):
    def __init__(self) -> None:
        super().__init__()
        data = load("click")
        self._messages: dict[str, str] = {**data["messages"], **data["plurals"]}

    def gettext(self, message: str) -> str:
        return self._messages.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._messages.get(singular if n == 1 else plural, singular if n == 1 else plural)


def install() -> None:
    translation = ClickRussian()
    for name in _MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:
            continue
        if hasattr(module, "_"):
            module._ = translation.gettext
        if hasattr(module, "ngettext"):
            module.ngettext = translation.ngettext
