import datetime as dt

import pytest

from pipeline.lang.dates import find_date, find_number, has_blank, month_number


@pytest.mark.parametrize(
    "text,date",
    [
        ("« 06 » 10 2020 г.", dt.date(2020, 10, 6)),
        ("« 17 » август 20 21 г.", dt.date(2021, 8, 17)),  # a year split by a space
        ("от 10.06.2021", dt.date(2021, 6, 10)),
        ("13.04.2020", dt.date(2020, 4, 13)),
        ("от 21 мая 2020 г. № 454 -р", dt.date(2020, 5, 21)),
        ("от 06.10.20 № 418-ОД", dt.date(2020, 10, 6)),  # two-digit year
        ("от «16» 03 2021 г. № 189-ОД", dt.date(2021, 3, 16)),
        ("до 30 января 2021 года", dt.date(2021, 1, 30)),
    ],
)
def test_find_date(text, date):
    assert find_date(text).date == date


def test_invalid_and_absent_dates():
    assert find_date("от 31.02.2021") is None
    assert find_date("на 2020 - 2022 годы") is None
    assert find_date("от _____ г. № _____") is None


@pytest.mark.parametrize(
    "text,number",
    [("№ 718-ОД", "718-ОД"), ("№59-б", "59-б"), ("№ 454 -р", "454-р"), ("№ 293-р", "293-р"), ("от _____ № _____", None), ("без номера", None)],
)
def test_find_number(text, number):
    assert find_number(text) == number


def test_blank_and_months():
    assert has_blank("от _____ г. № _____")
    assert not has_blank("от 06.10.20 № 418-ОД")
    assert [month_number(w) for w in ("октябрь", "октября", "октябре", "мая", "сент.", "13", "понедельник")] == [10, 10, 10, 5, 9, None, None]
