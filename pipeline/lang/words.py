"""Repairs of the scars that PDF and Word exports leave in Russian text.

Every decision that could change a word is made against the pymorphy3
dictionary, never by a list of cases: a split word is rejoined only when the
joined form is a dictionary word and its first part is not.

Deliberate, lossless-in-meaning normalizations: no-break spaces become
spaces, soft hyphens and zero-width characters are dropped (they are
invisible formatting, not text).  Every other character is kept.
"""

from __future__ import annotations

import re

from pipeline.lang.morph import is_known

_INVISIBLE_CHARS = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_ODD_SPACES = "\u00a0\u202f\u2007\u2009\u200a\t\r\f\v"
_NORMALIZE = {**dict.fromkeys(map(ord, _INVISIBLE_CHARS), None), **dict.fromkeys(map(ord, _ODD_SPACES), " ")}
# Most text holds none of them: a search in C tells, before a translation
# that looks every character up in a table.
_ODD = re.compile(f"[{_INVISIBLE_CHARS}{_ODD_SPACES}]")
_SPACE_RUN = re.compile(r" {2,}")

# A word may be cut after a hyphen at a line end; these words after "- " mean
# the hyphen is a suspended one («школ- и вузов»), which must stay open.
_SUSPENSION_WORDS = {"и", "или", "либо", "а", "но"}

_LETTER = r"[^\W\d_]"
_WRAP_HYPHEN = re.compile(rf"(?<={_LETTER})- +(?=({_LETTER}+))")
_WORD = re.compile(rf"{_LETTER}+")
_LETTER_RUN = re.compile(rf"(?<!{_LETTER})((?:{_LETTER} ){{3,}}{_LETTER})(?!{_LETTER})")


def normalize_spaces(text: str) -> str:
    """No-break and odd spaces → space, invisible characters dropped, runs of
    spaces within a line collapsed; line breaks kept."""
    if _ODD.search(text):
        text = text.translate(_NORMALIZE)
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n"))


def collapse(text: str) -> str:
    """All whitespace, line breaks included, to single spaces."""
    return re.sub(r"\s+", " ", normalize_spaces(text)).strip()


def join_letter_spaced(text: str) -> str:
    """«П Р И К А З» → «ПРИКАЗ», «п р и к а з ы в а ю:» → «приказываю:».

    Only runs of four or more single letters are joined, so ordinary one-letter
    words («в», «и», «с») standing side by side are left alone."""

    def join(m: re.Match[str]) -> str:
        letters = m.group(1).split(" ")
        if not (all(c.isupper() for c in letters) or all(c.islower() for c in letters)):
            return m.group(1)
        return "".join(letters)

    return _LETTER_RUN.sub(join, text)


def close_wrap_hyphens(text: str) -> str:
    """«школ- участников» → «школ-участников»: a hyphen left by a line wrap
    inside a compound, with a space after it and none before."""

    def close(m: re.Match[str]) -> str:
        return m.group(0) if m.group(1).lower() in _SUSPENSION_WORDS else "-"

    return _WRAP_HYPHEN.sub(close, text)


def _should_rejoin(head: str, tail: str) -> bool:
    if len(head) < 3 or not tail.islower() or head.isupper():
        return False
    return not is_known(head) and is_known(head + tail)


def rejoin_split_words(text: str) -> str:
    """«удовлетворенност и» → «удовлетворенности»: rejoin a word cut in two
    when the parts are not a dictionary word and the whole is."""
    words = list(_WORD.finditer(text))
    cuts = [
        a.end()
        for a, b in zip(words, words[1:])
        if text[a.end() : b.start()] == " " and _should_rejoin(a.group(), b.group())
    ]
    for cut in reversed(cuts):
        text = text[:cut] + text[cut + 1 :]
    return text


def _last_word(text: str) -> str:
    m = re.search(rf"{_LETTER}+$", text)
    return m.group(0) if m else ""


def _first_word(text: str) -> str:
    m = re.match(rf"{_LETTER}+", text)
    return m.group(0) if m else ""


def join_fragments(first: str, second: str) -> str:
    """Join two pieces of one text cut by a line or page break.

    «По потребност» + «и ОО» → «По потребности ОО»; «образова-» + «ния» →
    «образования»; «психолого-» + «педагогической» → «психолого-педагогической»;
    otherwise the pieces are joined by one space."""
    first, second = first.rstrip(), second.lstrip()
    if not first or not second:
        return first or second
    head, tail = _last_word(first), _first_word(second)
    if first.endswith("-") and len(first) > 1 and not first[-2].isspace():
        # A hyphen at a line end, attached to what comes before: a compound or
        # a number range goes on («2020-» «2021»), unless it was a soft wrap
        # inside a dictionary word («образова-» «ния»).
        stem = _last_word(first[:-1])
        if stem and tail and tail[0].islower() and is_known(stem + tail) and not is_known(f"{stem}-{tail}"):
            return first[:-1] + second
        return first + second
    if head and tail and first.endswith(head) and second.startswith(tail) and _should_rejoin(head, tail):
        return first + second
    return f"{first} {second}"


def join_lines(text: str) -> str:
    """The lines of a cell or paragraph as one line, each break joined by
    :func:`join_fragments`."""
    joined = ""
    for line in normalize_spaces(text).split("\n"):
        joined = join_fragments(joined, line)
    return joined


_INNER_HYPHEN = re.compile(rf"(?<!{_LETTER})({_LETTER}{{3,}})-({_LETTER}+)(?!{_LETTER}|-)")


def drop_wrap_hyphens(text: str) -> str:
    """«Педагогичес-кие» → «Педагогические»: a hyphen typed to wrap a word
    by hand and left inside it, when the first part is no word, the hyphened
    form is none either, the second part is lower case and the whole is a
    word."""

    def drop(m: re.Match[str]) -> str:
        head, tail = m.group(1), m.group(2)
        if not tail.islower() or is_known(head) or is_known(f"{head}-{tail}"):
            return m.group(0)
        return head + tail if is_known(head + tail) else m.group(0)

    return _INNER_HYPHEN.sub(drop, text)


# A line that opens a list item: a dash or bullet, or «1)», «а)».
_LIST_ITEM_LINE = re.compile(r"\n(?=[ \t]*(?:[-–—•]\s|\d{1,2}\)\s|[а-я]\)\s))")


def repair_keeping_lists(text: str) -> str:
    """:func:`repair_inline`, but a line that starts a list item («– план
    мероприятий;») stays on a line of its own: a clause's list is a list."""
    return "\n".join(filter(None, (repair_inline(piece) for piece in _LIST_ITEM_LINE.split(text))))


def repair_inline(text: str) -> str:
    """The repairs for a cell or a paragraph's meaning as one line: lines
    joined, whitespace collapsed, wrap hyphens closed, split words rejoined."""
    return drop_wrap_hyphens(rejoin_split_words(close_wrap_hyphens(collapse(join_lines(text)))))
