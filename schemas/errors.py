"""pydantic's validation errors in Russian, one short phrase each: what a
person editing an order's JSON by hand needs to fix it.  pydantic names
each error by a stable ``type``; its English ``msg`` is never shown."""

from __future__ import annotations

import re
from typing import Any

_PHRASES = {
    "missing": "обязательное поле отсутствует",
    "extra_forbidden": "лишнее поле: в схеме его нет",
    "string_type": "ожидается строка",
    "int_type": "ожидается целое число",
    "int_parsing": "ожидается целое число",
    "int_from_float": "ожидается целое число, а не дробное",
    "float_type": "ожидается число",
    "float_parsing": "ожидается число",
    "bool_type": "ожидается true или false",
    "bool_parsing": "ожидается true или false",
    "list_type": "ожидается список […]",
    "dict_type": "ожидается объект {…}",
    "model_type": "ожидается объект {…}",
    "model_attributes_type": "ожидается объект {…}",
    "date_type": "ожидается дата ГГГГ-ММ-ДД",
    "date_parsing": "ожидается дата ГГГГ-ММ-ДД",
    "date_from_datetime_parsing": "ожидается дата ГГГГ-ММ-ДД",
    "date_from_datetime_inexact": "ожидается дата без времени",
    "none_required": "ожидается null",
    "too_short": "слишком мало элементов",
    "too_long": "слишком много элементов",
    "string_too_short": "строка слишком короткая",
    "string_too_long": "строка слишком длинная",
    "greater_than_equal": "число слишком мало",
    "less_than_equal": "число слишком велико",
    "json_invalid": "это не JSON",
    "json_type": "это не JSON",
    "value_error": "значение не подходит",
    "assertion_error": "значение не подходит",
}


def describe(error: dict[str, Any]) -> str:
    """A Russian phrase for one of ``ValidationError.errors()``."""
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind == "literal_error" and "expected" in context:
        return f"допустимые значения: {context['expected']}"
    if kind == "enum" and "expected" in context:
        return f"допустимые значения: {context['expected']}"
    if kind == "json_invalid" and "error" in context:
        where = re.search(r"line (\d+) column (\d+)", str(context["error"]))
        return f"это не JSON: ошибка синтаксиса в строке {where[1]}, столбце {where[2]}" if where else "это не JSON"
    phrase = _PHRASES.get(kind)
    if phrase is None:
        return f"значение не подходит ({kind})"
    value = error.get("input")
    if kind not in {"missing", "json_invalid", "extra_forbidden"} and isinstance(value, (str, int, float, bool)) and len(repr(value)) <= 40:
        return f"{phrase}, а здесь {value!r}"
    return phrase


def error_lines(exc, limit: int) -> list[str]:
    """The first ``limit`` errors of a ``ValidationError``, each «where: what»."""
    return [f"{'.'.join(map(str, e['loc'])) or '(документ)'}: {describe(e)}" for e in exc.errors()[:limit]]
