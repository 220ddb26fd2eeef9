"""The instructions of an amending order («О внесении изменений в приказ …»),
recognised in its clauses as Russian legal drafting writes them:

* «в графе «Срок» пункта 2 слово «октябрь» заменить словами «январь 2021 г.»»,
  «в пункте 5 слова «…» заменить словами «…»» — words replaced;
* «пункт 12 исключить», «строку 4 признать утратившей силу» — a row or clause removed;
* «пункт 3 изложить в следующей редакции: «…»» — a new wording;
* «дополнить пунктом 4 следующего содержания: «…»», «дополнить строкой 4.3 …» — added;
* «приложение изложить в новой редакции (прилагается)» — the plan replaced by the one attached.

What an instruction changes — the plan's rows or the order's own clauses — is
said by the instruction or by the clause above it: a «графа» or a «строка»,
or «план» / «приложение» in «Внести в план мероприятий, утвержденный …», is
the plan; «Внести в приказ …» alone is the order's clauses.  A clause that
says «изменения» but matches no pattern is kept as not understood, so that it
is reported, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemas import Clause

_Q = r"[«\"“]"
_QE = r"[»\"”]"
# A quoted text; «…» may hold nested quotes («приказ «О …»»), so the end is the last closing quote before the clause's end.
_NUMBER = r"(?P<number>\d+(?:\.\d+)*\.?)"
_COLUMN = rf"(?:в\s+графе\s+{_Q}(?P<column>[^»\"”]+){_QE}\s+)?"
_REPLACE = re.compile(
    rf"^{_COLUMN}(?:в\s+)?(?P<what>пункт[еа]?|строк[еи]|подпункт[еа]?)\s+{_NUMBER}\s+(?:в\s+графе\s+{_Q}(?P<column2>[^»\"”]+){_QE}\s+)?"
    rf"слов(?:о|а)\s+{_Q}(?P<old>.+?){_QE}\s+заменить\s+слов(?:ом|ами)\s+{_Q}(?P<new>.+){_QE}\s*[;.]?$",
    re.I | re.S,
)
_DELETE = re.compile(rf"^(?P<what>пункт|строку|подпункт)\s+{_NUMBER}\s+(?:исключить|признать\s+утративш(?:им|ей)\s+силу)\s*[;.]?$", re.I)
# «(прилагается)», «(приложение № 1)»: the text is in the amending order's own table.
_ATTACHED = r"(?:\s*\((?:прилагается|приложение[^)]*)\))?"
_WORDING = re.compile(
    rf"^(?P<what>пункт|строку|подпункт)\s+{_NUMBER}\s+изложить\s+в\s+(?:следующей|новой)\s+редакции{_ATTACHED}\s*:?\s*(?:{_Q}(?P<text>.+){_QE})?\s*[;.]?$",
    re.I | re.S,
)
_ADD = re.compile(
    rf"^дополнить\s+(?:(?P<object>приказ|план(?:\s+мероприятий)?|приложение(?:\s+№\s*\d+)?)\s+)?(?:раздел\s+{_Q}(?P<section>[^»\"”]+){_QE}\s+)?"
    rf"(?P<what>пунктом|строкой|подпунктом)\s+{_NUMBER}\s+следующего\s+содержания{_ATTACHED}\s*:?\s*(?:{_Q}(?P<text>.+){_QE})?\s*[;.]?$",
    re.I | re.S,
)
_APPENDIX = re.compile(r"^приложени[ея]\b.*?\s+изложить\s+в\s+(?:новой|следующей)\s+редакции", re.I | re.S)
_PLAN_WORDS = re.compile(r"\b(?:план|планом|плане|приложени|дорожн|графи?к)", re.I)
_CHANGE_WORDS = re.compile(r"изложить|исключить|заменить|дополнить|утратившим|утратившей", re.I)


@dataclass
class Instruction:
    kind: str  # replace-words, delete, wording, add, replace-appendix, not-understood
    clause: str  # the amending order's clause, as numbered there: «1.2.»
    text: str  # the clause as printed
    target: str = "plan"  # plan (the roadmap's rows) or order (its clauses)
    number: str | None = None  # the row or clause it names
    column: str | None = None  # the column, by its header word: «Срок», «Ответственные»
    old: str | None = None
    new: str | None = None
    section: str | None = None


def _target(parent: str, text: str, column: str | None, what: str | None) -> str:
    if column or (what and what.lower().startswith("строк")):
        return "plan"
    return "plan" if _PLAN_WORDS.search(parent) or _PLAN_WORDS.search(text) else "order"


def recognise(clauses: list[Clause]) -> list[Instruction]:
    """The instructions in an amending order's clauses, in their order."""
    parents = {c.number.rstrip("."): c.text for c in clauses if c.number}
    out: list[Instruction] = []
    for clause in clauses:
        text = " ".join(clause.text.split())
        parent = parents.get((clause.parent or "").rstrip("."), "")
        number = clause.number or ""
        if m := _REPLACE.match(text):
            column = m.group("column") or m.group("column2")
            out.append(Instruction("replace-words", number, text, _target(parent, text, column, m.group("what")),
                                   m.group("number").rstrip("."), column, m.group("old"), m.group("new")))
        elif m := _DELETE.match(text):
            out.append(Instruction("delete", number, text, _target(parent, text, None, m.group("what")), m.group("number").rstrip(".")))
        elif m := _WORDING.match(text):
            out.append(Instruction("wording", number, text, _target(parent, text, None, m.group("what")), m.group("number").rstrip("."),
                                   new=m.group("text")))
        elif m := _ADD.match(text):
            target = "order" if (m.group("object") or "").lower() == "приказ" else _target(parent, text, None, m.group("what"))
            out.append(Instruction("add", number, text, target, m.group("number").rstrip("."),
                                   new=m.group("text"), section=m.group("section")))
        elif _APPENDIX.match(text):
            out.append(Instruction("replace-appendix", number, text))
        elif _CHANGE_WORDS.search(text) and not text.lower().startswith("внести"):
            out.append(Instruction("not-understood", number, text))
    return out
