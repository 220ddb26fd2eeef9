"""R — cross-references between the order and its appendices."""

from __future__ import annotations

import re

from pipeline.validate.registry import Hit, rule
from schemas import Appendix, Order, OrderReference

# «(Приложение № 1)», «согласно приложению 2», «приложениям 1 и 2», «Приложение»
_MENTION = re.compile(r"приложени[а-яё]*\s*(?:№\s*)?(?P<numbers>\d+(?:\s*(?:,|и)\s*\d+)*)?", re.I)


def _where(appendix: Appendix) -> dict:
    return {"page": appendix.location.page, "line": appendix.location.line, "appendix": appendix.index}


def _fmt(ref: OrderReference) -> str:
    return f"от {ref.date_text or '—'} № {ref.number or '—'}"


def _reference(appendix: Appendix) -> OrderReference | None:
    """The order an appendix heading says it belongs to: the amending one
    when the heading carries «(в ред. …)»."""
    return appendix.amended_by or appendix.cites


def _cross(order: Order):
    doc = order.document
    for appendix in order.appendices:
        ref = _reference(appendix)
        if ref is None or ref.blank or not (doc.number or doc.date):
            continue
        same_number = ref.number is not None and ref.number == doc.number
        same_date = ref.date is not None and ref.date == doc.date
        yield appendix, ref, same_number, same_date


@rule("R001", "appendix-cites-wrong-number", "error", "An appendix heading cites this order's date with another number.")
def appendix_wrong_number(order: Order):
    """The appendix heading names the order's date but a different number.

    Why: «Приложение № 2 к приказу … от 06.10.20 № 418-ОД» in order № 718-ОД of
    that date ties the plan to an order that does not exist.

    Bad:  order № 718-ОД of 06.10.2020; appendix «от 06.10.20 № 418-ОД»
    Good: appendix «от 06.10.2020 № 718-ОД»
    """
    for appendix, ref, same_number, same_date in _cross(order):
        if same_date and ref.number and not same_number:
            yield Hit(
                f"приложение {appendix.number or appendix.index}: в реквизитах № {ref.number}, а документ № {order.document.number}",
                _where(appendix),
                fix=order.document.number,
            )


@rule("R002", "appendix-cites-wrong-date", "error", "An appendix heading cites this order's number with another date.")
def appendix_wrong_date(order: Order):
    """The appendix heading names the order's number but a different date.

    Why: «(в ред. от 17.05.2021 № 422-ОД)» in order № 422-ОД of 17.08.2021 —
    one of the two dates is wrong.

    Bad:  order № 422-ОД of 17.08.2021; «(в ред. от «17» 05 2021 г. № 422-ОД)»
    Good: «(в ред. от «17» 08 2021 г. № 422-ОД)»
    """
    for appendix, ref, same_number, same_date in _cross(order):
        if same_number and ref.date and not same_date:
            yield Hit(
                f"приложение {appendix.number or appendix.index}: в реквизитах дата {ref.date_text}, "
                f"а документ от {order.document.date.strftime('%d.%m.%Y') if order.document.date else '—'}",
                _where(appendix),
                fix=order.document.date.strftime("%d.%m.%Y") if order.document.date else None,
            )


@rule("R003", "approval-stamp-blank", "warning", "The approval stamp or appendix heading has blanks for date or number.")
def approval_stamp_blank(order: Order):
    """«Утвержден приказом … от _____ № _____»: the blanks were never filled.

    Why: a published plan must name the order that approved it.

    Bad:  «Утвержден приказом управления от _____ г. № _____»
    Good: «Утвержден приказом управления от 10.06.2021 № 59-б»
    """
    for appendix in order.appendices:
        for ref in (appendix.cites, appendix.amended_by):
            if ref is not None and ref.blank:
                yield Hit(f"приложение {appendix.number or appendix.index}: в реквизитах не заполнены дата или номер", _where(appendix))
                break


@rule("R004", "appendix-missing", "error", "The clauses mention an appendix the document does not contain.")
def appendix_missing(order: Order):
    """A clause refers to «Приложение № 1» but there is no such appendix.

    Why: the approved list or plan is missing from the published order.

    Bad:  clause «Утвердить списки школ (Приложение № 1)», no appendix 1
    Good: the appendix «Приложение № 1 к приказу …» present
    """
    present = {a.number or str(a.index) for a in order.appendices}
    for clause in order.clauses:
        for m in _MENTION.finditer(clause.text):
            for number in re.findall(r"\d+", m.group("numbers") or ""):
                if number not in present:
                    yield Hit(
                        f"пункт {clause.number or ''}: упомянуто приложение № {number}, но его нет в документе".replace("пункт :", "пункт:"),
                        {"page": clause.location.page, "line": clause.location.line, "clause": clause.number},
                    )


@rule("R005", "appendix-not-mentioned", "warning", "An appendix is never mentioned in the clauses.")
def appendix_not_mentioned(order: Order):
    """An appendix no clause refers to.

    Why: an appendix nobody approves has no force; or the clause cites the
    wrong number.

    Bad:  appendices 1 and 2, clauses mention only «Приложение № 1»
    Good: «… (Приложение № 1)», «… (Приложение № 2)»
    """
    if not order.clauses:
        return
    text = "\n".join(c.text for c in order.clauses)
    numbers = {n for m in _MENTION.finditer(text) for n in re.findall(r"\d+", m.group("numbers") or "")}
    unnumbered = any(not m.group("numbers") for m in _MENTION.finditer(text)) or re.search(r"прилагаем", text, re.I)
    for appendix in order.appendices:
        label = appendix.number or str(appendix.index)
        if label in numbers or (unnumbered and not numbers):
            continue
        if unnumbered and len(order.appendices) == 1:
            continue
        yield Hit(f"приложение {label} не упомянуто ни в одном пункте документа", _where(appendix))


@rule("R006", "appendix-cites-other-order", "warning", "An appendix heading cites an order with another number and date.")
def appendix_other_order(order: Order):
    """The appendix heading cites an order that is neither this one by number
    nor by date, and no «(в ред. …)» explains it.

    Why: the appendix may belong to another order, copied in by mistake.

    Bad:  order № 293-р of 13.04.2020; appendix «к распоряжению от 01.02.2019 № 15-р»
    Good: appendix «к распоряжению от 13.04.2020 № 293-р»
    """
    for appendix, ref, same_number, same_date in _cross(order):
        if appendix.amended_by is None and ref.number and ref.date and not same_number and not same_date:
            yield Hit(f"приложение {appendix.number or appendix.index} ссылается на другой документ ({_fmt(ref)})", _where(appendix))
