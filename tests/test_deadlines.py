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
    ],
)
def test_periods(text, start, end, academic):
    period = parse_period(text)
    assert (period.start, period.end, period.academic) == (start, end, academic)
