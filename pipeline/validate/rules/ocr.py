"""O — text read from page images (scans)."""

from __future__ import annotations

from pipeline.lang.labels import label as column_label
from pipeline.validate.registry import Hit, rule
from pipeline.validate.rules._where import item_at, label
from schemas import Order

# Mean word confidence (0–100) under which a person should check a cell.
LOW_CONFIDENCE = 80.0


@rule("O001", "ocr-low-confidence", "warning", "Ячейка со скана распознана неуверенно.")
def ocr_low_confidence(order: Order):
    """Ячейка плана, в словах которой программа распознавания текста не уверена.

    Почему: при распознавании путаются буквы («п»/«н», «ш»/«щ»), теряется «1»
    в узком столбце, печать читается как текст; прежде чем использовать данные,
    ячейку нужно сверить со сканом.

    Плохо:  ячейка срока со скана, распознанная с уверенностью 52 %
    Хорошо: ячейка сверена со сканом и исправлена
    """
    for r, roadmap in enumerate(order.roadmaps):
        for i, item in enumerate(roadmap.items):
            for column, confidence in sorted(item.confidence.items()):
                if confidence < LOW_CONFIDENCE:
                    yield Hit(f"{label(item)}: столбец «{column_label('column_role', column)}» распознан неуверенно ({confidence:.0f} %), сверьте со сканом", item_at(r, i, item, column))


@rule("O002", "ocr-requisites-unread", "warning", "Не распознаны дата или номер отсканированного документа.")
def ocr_requisites_unread(order: Order):
    """Отсканированный документ, дату или номер которого прочитать не удалось, —
    часто они вписаны от руки в напечатанный бланк. Программа сообщает об этом,
    но никогда не подставляет их наугад.

    Плохо:  скан, на котором «от «__» ____ 2021 г. № ___» заполнено ручкой
    Хорошо: дата и номер напечатаны или внесены человеком, проверяющим скан
    """
    if not order.source.ocr:
        return
    missing = [name for name, value in (("дата", order.document.date), ("номер", order.document.number)) if value is None]
    if missing:
        yield Hit(f"скан: не распознаны {' и '.join(missing)} документа (возможно, вписаны от руки) — укажите их вручную", {})
