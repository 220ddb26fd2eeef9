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


@rule("R001", "appendix-cites-wrong-number", "error", "Заголовок приложения ссылается на документ с той же датой, но с другим номером.")
def appendix_wrong_number(order: Order):
    """В заголовке приложения указана дата документа, но другой номер.

    Почему: «Приложение № 2 к приказу … от 06.10.20 № 418-ОД» в приказе № 718-ОД
    от той же даты привязывает план к несуществующему приказу.

    Плохо:  приказ № 718-ОД от 06.10.2020; приложение «от 06.10.20 № 418-ОД»
    Хорошо: приложение «от 06.10.2020 № 718-ОД»
    """
    for appendix, ref, same_number, same_date in _cross(order):
        if same_date and ref.number and not same_number:
            yield Hit(
                f"приложение {appendix.number or appendix.index}: в реквизитах № {ref.number}, а документ № {order.document.number}",
                _where(appendix),
                fix=order.document.number,
                replaces=ref.number,
            )


@rule("R002", "appendix-cites-wrong-date", "error", "Заголовок приложения ссылается на документ с тем же номером, но с другой датой.")
def appendix_wrong_date(order: Order):
    """В заголовке приложения указан номер документа, но другая дата.

    Почему: «(в ред. от 17.05.2021 № 422-ОД)» в приказе № 422-ОД от 17.08.2021 —
    одна из двух дат неверна.

    Плохо:  приказ № 422-ОД от 17.08.2021; «(в ред. от «17» 05 2021 г. № 422-ОД)»
    Хорошо: «(в ред. от «17» 08 2021 г. № 422-ОД)»
    """
    for appendix, ref, same_number, same_date in _cross(order):
        if same_number and ref.date and not same_date:
            yield Hit(
                f"приложение {appendix.number or appendix.index}: в реквизитах дата {ref.date_text}, "
                f"а документ от {order.document.date.strftime('%d.%m.%Y') if order.document.date else '—'}",
                _where(appendix),
                fix=order.document.date.strftime("%d.%m.%Y") if order.document.date else None,
                replaces=ref.date_text,
            )


@rule("R003", "approval-stamp-blank", "warning", "В грифе утверждения или заголовке приложения не заполнены дата или номер.")
def approval_stamp_blank(order: Order):
    """«Утвержден приказом … от _____ № _____»: пропуски так и не заполнили.

    Почему: в опубликованном плане должен быть указан приказ, которым он утверждён.

    Плохо:  «Утвержден приказом управления от _____ г. № _____»
    Хорошо: «Утвержден приказом управления от 10.06.2021 № 59-б»
    """
    for appendix in order.appendices:
        for ref in (appendix.cites, appendix.amended_by):
            if ref is not None and ref.blank:
                yield Hit(f"приложение {appendix.number or appendix.index}: в реквизитах не заполнены дата или номер", _where(appendix))
                break


@rule("R004", "appendix-missing", "error", "В пунктах упомянуто приложение, которого нет в документе.")
def appendix_missing(order: Order):
    """Пункт ссылается на «Приложение № 1», но такого приложения нет.

    Почему: утверждаемого списка или плана нет в опубликованном документе.

    Плохо:  пункт «Утвердить списки школ (Приложение № 1)», а приложения 1 нет
    Хорошо: в документе есть «Приложение № 1 к приказу …»
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


@rule("R005", "appendix-not-mentioned", "warning", "Приложение не упомянуто ни в одном пункте.")
def appendix_not_mentioned(order: Order):
    """Приложение, на которое не ссылается ни один пункт документа.

    Почему: приложение, которое ни один пункт не утверждает, не имеет силы; либо
    в пункте указан не тот номер.

    Плохо:  приложения 1 и 2, а в пунктах упомянуто только «Приложение № 1»
    Хорошо: «… (Приложение № 1)», «… (Приложение № 2)»
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


@rule("R006", "appendix-cites-other-order", "warning", "Заголовок приложения ссылается на документ с другими номером и датой.")
def appendix_other_order(order: Order):
    """Заголовок приложения ссылается на документ, номер и дата которого не
    совпадают с номером и датой этого документа, и пометки «(в ред. …)»,
    которая объясняла бы расхождение, нет.

    Почему: приложение могло попасть сюда по ошибке из другого документа.

    Плохо:  распоряжение № 293-р от 13.04.2020; приложение «к распоряжению от 01.02.2019 № 15-р»
    Хорошо: приложение «к распоряжению от 13.04.2020 № 293-р»
    """
    for appendix, ref, same_number, same_date in _cross(order):
        if appendix.amended_by is None and ref.number and ref.date and not same_number and not same_date:
            yield Hit(f"приложение {appendix.number or appendix.index} ссылается на другой документ ({_fmt(ref)})", _where(appendix))
