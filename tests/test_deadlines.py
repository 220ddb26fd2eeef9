"""Deadlines as date intervals, with years from the text or the context."""

import datetime as dt

import pytest

from pipeline.normalize.deadlines import DeadlineContext, normalize_deadline, parse_period

D = dt.date
ACADEMIC = DeadlineContext(parse_period("на 2020 – 2021 учебный год"), D(2020, 10, 6))
YEAR_2021 = DeadlineContext(parse_period("2021 год"), D(2021, 6, 10))
TWO_YEARS = DeadlineContext(parse_period("на 2020-2021 годы"), D(2020, 5, 21))
ORDER_ONLY = DeadlineContext(None, D(2021, 3, 16))


@pytest.mark.parametrize(
    "text,context,kind,start,end,basis",
    [
        ("октябрь", ACADEMIC, "month", D(2020, 10, 1), D(2020, 10, 31), "inferred"),
        ("в октябре", ACADEMIC, "month", D(2020, 10, 1), D(2020, 10, 31), "inferred"),
        ("март", ACADEMIC, "month", D(2021, 3, 1), D(2021, 3, 31), "inferred"),
        ("Февраль", ORDER_ONLY, "month", D(2021, 2, 1), D(2021, 2, 28), "inferred"),
        ("сентябрь 2020 г.", ACADEMIC, "month", D(2020, 9, 1), D(2020, 9, 30), "explicit"),
        ("Апрель - май", ACADEMIC, "range", D(2021, 4, 1), D(2021, 5, 31), "inferred"),
        ("Март-май", ORDER_ONLY, "range", D(2021, 3, 1), D(2021, 5, 31), "inferred"),
        ("Июнь- ноябрь", ORDER_ONLY, "range", D(2021, 6, 1), D(2021, 11, 30), "inferred"),
        ("Апрель - май 2020 года", ACADEMIC, "range", D(2020, 4, 1), D(2020, 5, 31), "explicit"),
        ("сентябрь 2020 г. – май 2021 г.", ACADEMIC, "range", D(2020, 9, 1), D(2021, 5, 31), "explicit"),
        ("с сентября по декабрь 2020 года", ACADEMIC, "range", D(2020, 9, 1), D(2020, 12, 31), "explicit"),
        ("ноябрь - февраль", ORDER_ONLY, "range", D(2021, 11, 1), D(2022, 2, 28), "inferred"),
        ("15.06 - 30.06.2020", ACADEMIC, "range", D(2020, 6, 15), D(2020, 6, 30), "explicit"),
        ("До 30 апреля 2020", ACADEMIC, "until", None, D(2020, 4, 30), "explicit"),
        ("До 10.06.2020", ACADEMIC, "until", None, D(2020, 6, 10), "explicit"),
        ("до октября", ACADEMIC, "until", None, D(2020, 9, 30), "inferred"),
        ("с 1 сентября 2020 г.", ACADEMIC, "from", D(2020, 9, 1), None, "explicit"),
        ("В течение года", ACADEMIC, "throughout", D(2020, 9, 1), D(2021, 8, 31), "inferred"),
        ("В течение года", YEAR_2021, "throughout", D(2021, 1, 1), D(2021, 12, 31), "inferred"),
        ("в течение учебного года", YEAR_2021, "throughout", D(2020, 9, 1), D(2021, 8, 31), "inferred"),
        ("В течение 2021 года", ACADEMIC, "throughout", D(2021, 1, 1), D(2021, 12, 31), "explicit"),
        # A school year written with both its years, as drafts print it.
        ("в течение 2021/2022 учебного года", ACADEMIC, "throughout", D(2021, 9, 1), D(2022, 8, 31), "explicit"),
        ("В течение 2021 – 2022 учебного года", ACADEMIC, "throughout", D(2021, 9, 1), D(2022, 8, 31), "explicit"),
        ("2021/2022 учебный год", ACADEMIC, "throughout", D(2021, 9, 1), D(2022, 8, 31), "explicit"),
        ("в 2021-2022 учебном году", ACADEMIC, "throughout", D(2021, 9, 1), D(2022, 8, 31), "explicit"),
        ("I квартал 2021 г.", ACADEMIC, "range", D(2021, 1, 1), D(2021, 3, 31), "explicit"),
        ("ежеквартально", TWO_YEARS, "recurring", D(2020, 1, 1), D(2021, 12, 31), "inferred"),
        ("10 ноября 2020 г.", ACADEMIC, "date", D(2020, 11, 10), D(2020, 11, 10), "explicit"),
    ],
)
def test_intervals(text, context, kind, start, end, basis):
    d = normalize_deadline(text, context)
    assert (d.kind, d.start, d.end, d.basis) == (kind, start, end, basis)
    assert d.text == text


@pytest.mark.parametrize(
    "text,parts",
    [
        ("Сентябрь 2020 года; ноябрь 2020 года", [(D(2020, 9, 1), D(2020, 9, 30)), (D(2020, 11, 1), D(2020, 11, 30))]),
        ("Январь 2021, июнь 2021", [(D(2021, 1, 1), D(2021, 1, 31)), (D(2021, 6, 1), D(2021, 6, 30))]),
        ("Июнь, декабрь", [(D(2021, 6, 1), D(2021, 6, 30)), (D(2021, 12, 1), D(2021, 12, 31))]),
        (
            "Май - июнь 2020 года; август 2020 года - октябрь 2020 года",
            [(D(2020, 5, 1), D(2020, 6, 30)), (D(2020, 8, 1), D(2020, 10, 31))],
        ),
    ],
)
def test_lists(text, parts):
    d = normalize_deadline(text, ORDER_ONLY)
    assert d.kind == "list"
    assert [(p.start, p.end) for p in d.dates] == parts
    assert (d.start, d.end) == (parts[0][0], parts[-1][1])


def test_mixture_with_recurrence():
    d = normalize_deadline("Май - август 2020, далее - ежегодное обновление", ACADEMIC)
    assert (d.kind, d.start, d.end, d.recurrence, d.basis) == ("range", D(2020, 5, 1), D(2020, 8, 31), "annually", "explicit")


@pytest.mark.parametrize("text", ["По спец. графику", "По графику ОО", "По плану работы Совета", "По потребности ОО", "По отдельному графику", "по мере необходимости"])
def test_schedules_have_no_dates(text):
    d = normalize_deadline(text, ACADEMIC)
    assert (d.kind, d.start, d.end, d.dates) == ("schedule", None, None, [])


@pytest.mark.parametrize("text", ["бессрочно", "после утверждения бюджета", "31.02.2021", "октябрь", ""])
def test_not_understood_is_unknown_never_guessed(text):
    d = normalize_deadline(text, DeadlineContext() if text == "октябрь" else ACADEMIC)
    assert d.kind == "unknown"
    assert (d.start, d.end) == (None, None)


@pytest.mark.parametrize(
    "text,start,end,academic",
    [
        ("на 2020 – 2021 учебный год", D(2020, 9, 1), D(2021, 8, 31), True),
        ("в 2020-2021 учебном году", D(2020, 9, 1), D(2021, 8, 31), True),
        ("на 2020 - 2022 годы", D(2020, 1, 1), D(2022, 12, 31), False),
        ("2021 год", D(2021, 1, 1), D(2021, 12, 31), False),
        # As plans' titles print them.
        ("на 2019-2020 уч. год", D(2019, 9, 1), D(2020, 8, 31), True),
        ("на 2018/2019 учебный год", D(2018, 9, 1), D(2019, 8, 31), True),
        ("на 2019-2020 тренировочный год.", D(2019, 9, 1), D(2020, 8, 31), True),
        ("на 2015–2030 годы", D(2015, 1, 1), D(2030, 12, 31), False),
        ("на 2022г.", D(2022, 1, 1), D(2022, 12, 31), False),
        ("План весенних мероприятий в период школьных каникул 2019 года", D(2019, 1, 1), D(2019, 12, 31), False),
        ("на 2024 – 2027 гг.", D(2024, 1, 1), D(2027, 12, 31), False),
    ],
)
def test_periods(text, start, end, academic):
    period = parse_period(text)
    assert (period.start, period.end, period.academic) == (start, end, academic)


SCHOOL_2019 = DeadlineContext(parse_period("на 2019-2020 учебный год"), None)
NOVEMBER = DeadlineContext(SCHOOL_2019.period, None, month=(2019, 11))
DAY = DeadlineContext(parse_period("весенние каникулы 2019 года"), None, month=(2019, 3), day=D(2019, 3, 25))


@pytest.mark.parametrize(
    "text,context,start,end",
    [
        # Parts of the month the item's section names.
        ("3 неделя", NOVEMBER, D(2019, 11, 15), D(2019, 11, 21)),
        ("1-2 неделя", NOVEMBER, D(2019, 11, 1), D(2019, 11, 14)),
        ("4 неделя", NOVEMBER, D(2019, 11, 22), D(2019, 11, 28)),
        ("Вторая половина месяца", NOVEMBER, D(2019, 11, 16), D(2019, 11, 30)),
        ("1 половина месяца", NOVEMBER, D(2019, 11, 1), D(2019, 11, 15)),
        ("В течении месяца", NOVEMBER, D(2019, 11, 1), D(2019, 11, 30)),
        ("3 неделя сентября", NOVEMBER, D(2019, 9, 15), D(2019, 9, 21)),
        ("15-30 ноября", SCHOOL_2019, D(2019, 11, 15), D(2019, 11, 30)),
        ("В течение сентября", SCHOOL_2019, D(2019, 9, 1), D(2019, 9, 30)),
        # A time or a schedule on the section's day.
        ("10.00-11-00", DAY, D(2019, 3, 25), D(2019, 3, 25)),
        ("С 15.30-17.00", DAY, D(2019, 3, 25), D(2019, 3, 25)),
        ("9.00-13.00, 16.00-18.00", DAY, D(2019, 3, 25), D(2019, 3, 25)),
        ("По доп. графику", DAY, D(2019, 3, 25), D(2019, 3, 25)),
        ("В теч.дня", DAY, D(2019, 3, 25), D(2019, 3, 25)),
        # Recurrences cover the plan period.
        ("1 раз в четверть", SCHOOL_2019, D(2019, 9, 1), D(2020, 8, 31)),
        ("два раза в год", SCHOOL_2019, D(2019, 9, 1), D(2020, 8, 31)),
        ("Не реже 1 раза в месяц", SCHOOL_2019, D(2019, 9, 1), D(2020, 8, 31)),
        ("по мере необходимости (не реже 2 раза в год)", SCHOOL_2019, D(2019, 9, 1), D(2020, 8, 31)),
        ("По плану занятий, но не реже 2 раз в год", SCHOOL_2019, D(2019, 9, 1), D(2020, 8, 31)),
        ("ежемесячно до 25 числа.", SCHOOL_2019, D(2019, 9, 1), D(2020, 8, 31)),
        ("2019-2020гг. раз в квартал", SCHOOL_2019, D(2019, 9, 1), D(2020, 8, 31)),
        ("раз в 14 дней", SCHOOL_2019, D(2019, 9, 1), D(2020, 8, 31)),
        # Lists with or without separators, of mixed parts.
        ("Сентябрь Ноябрь Январь Март Май", SCHOOL_2019, D(2019, 9, 1), D(2020, 5, 31)),
        ("октябрь ноябрь", SCHOOL_2019, D(2019, 10, 1), D(2019, 11, 30)),
        ("7 сентября 15 сентября", SCHOOL_2019, D(2019, 9, 7), D(2019, 9, 15)),
        ("12.10 05.11", SCHOOL_2019, D(2019, 10, 12), D(2019, 11, 5)),
        ("4 неделя В течение месяца", NOVEMBER, D(2019, 11, 1), D(2019, 11, 30)),
        ("2 неделя 3 неделя Первая половина месяца По плану комиссии", NOVEMBER, D(2019, 11, 1), D(2019, 11, 21)),
        ("09.10-02.11 1 раз в месяц", SCHOOL_2019, D(2019, 9, 1), D(2020, 8, 31)),
        ("Сентябрь и по мере необходимости", SCHOOL_2019, D(2019, 9, 1), D(2019, 9, 30)),
        ("постоянно весна, осень", DeadlineContext(parse_period("на 2019 год")), D(2019, 1, 1), D(2019, 12, 31)),
        # In a school year a range the months' rule turns backwards starts a year earlier.
        ("август-сентябрь", SCHOOL_2019, D(2019, 8, 1), D(2019, 9, 30)),
        ("3-4 квартал", SCHOOL_2019, D(2019, 7, 1), D(2019, 12, 31)),
        ("октябрь-апрель.", SCHOOL_2019, D(2019, 10, 1), D(2020, 4, 30)),
    ],
)
def test_deadlines_of_published_plans(text, context, start, end):
    d = normalize_deadline(text, context)
    assert (d.start, d.end) == (start, end), d.kind


@pytest.mark.parametrize("text", ["3 неделя", "В течение дня", "10.00-11.00"])
def test_parts_of_a_month_or_day_need_their_section(text):
    d = normalize_deadline(text, SCHOOL_2019)
    assert (d.start, d.end) == (None, None)


@pytest.mark.parametrize("text", ["к приказу от 16.03.2021 г. № 189", "от «17» мая 2021 года", "от « 17 » 05 2021 г."])
def test_the_year_of_a_date_is_no_period(text):
    assert parse_period(text) is None


def test_a_lone_preposition_under_a_day_section_is_no_deadline():
    # «в» alone under «25 марта» once raised IndexError.
    day = dt.date(2019, 3, 25)
    context = DeadlineContext(None, None, (2019, 3), day)
    assert normalize_deadline("в", context).kind == "unknown"
