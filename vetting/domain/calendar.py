"""Swedish calendar for statutory deadlines: public holidays and the next working day.

Lag (1989:253) om allmänna helgdagar names the holidays (Easter and the days counted from it
move every year, midsommardagen and alla helgons dag are the Saturday in a fixed week). Lag
(1930:173) om beräkning av lagstadgad tid, 2 §: when the last day of a statutory period falls on a
Sunday or other public holiday, a Saturday, midsommarafton, julafton or nyårsafton, the act may
be done on the next working day. Computed, never looked up, so any year works.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache


def easter_sunday(year: int) -> date:
    """Påskdagen: the Gregorian computus (Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def _saturday_between(year: int, month: int, first_day: int) -> date:
    """The Saturday in the seven days from ``first_day`` of ``month``."""
    start = date(year, month, first_day)
    return start + timedelta(days=(5 - start.weekday()) % 7)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> dict[date, str]:
    """Allmänna helgdagar of the year (Sundays other than Easter and Whit Sunday are not listed)."""
    easter = easter_sunday(year)
    return {
        date(year, 1, 1): "nyårsdagen",
        date(year, 1, 6): "trettondedag jul",
        easter - timedelta(days=2): "långfredagen",
        easter: "påskdagen",
        easter + timedelta(days=1): "annandag påsk",
        easter + timedelta(days=39): "Kristi himmelsfärdsdag",
        date(year, 5, 1): "första maj",
        easter + timedelta(days=49): "pingstdagen",
        date(year, 6, 6): "nationaldagen",
        _saturday_between(year, 6, 20): "midsommardagen",
        _saturday_between(year, 10, 31): "alla helgons dag",
        date(year, 12, 25): "juldagen",
        date(year, 12, 26): "annandag jul",
    }


def deadline_free_days(year: int) -> dict[date, str]:
    """Days on which a statutory period cannot end (besides Saturdays and Sundays): holidays and the three eves."""
    days = dict(public_holidays(year))
    days[_saturday_between(year, 6, 20) - timedelta(days=1)] = "midsommarafton"
    days[date(year, 12, 24)] = "julafton"
    days[date(year, 12, 31)] = "nyårsafton"
    return days


def is_working_day(day: date) -> bool:
    """A weekday that is neither a public holiday nor one of the eves lag 1930:173 treats as one."""
    return day.weekday() < 5 and day not in deadline_free_days(day.year)


def next_working_day(day: date) -> date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def period_end(start: date, days: int) -> date:
    """Last day of a period of ``days`` days counted from the day after ``start``, moved off non-working days."""
    return next_working_day(start + timedelta(days=days))
