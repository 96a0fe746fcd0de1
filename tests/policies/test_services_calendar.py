"""Promised dates count working days: holidays skipped, make-up days (调休) counted."""

from datetime import date

import pytest

from policies.models import WorkingCalendarDay
from policies.services.calendar import add_working_days, is_working_day, working_calendar_sync, working_days_left


@pytest.mark.django_db
class TestAddWorkingDays:
    def test_an_ordinary_week_skips_the_weekend(self):
        # Thursday 2024-03-07 + 2 working days: Friday, then Monday
        assert add_working_days(date(2024, 3, 7), 2) == date(2024, 3, 11)

    def test_zero_days_is_the_same_day(self):
        assert add_working_days(date(2024, 3, 9), 0) == date(2024, 3, 9)

    def test_national_day_week_is_skipped_and_the_make_up_saturday_counts(self):
        # 2024: 1–7 October off; Sunday 29 September and Saturday 12 October are make-up working days.
        assert add_working_days(date(2024, 9, 27), 1) == date(2024, 9, 29)
        assert add_working_days(date(2024, 9, 30), 1) == date(2024, 10, 8)
        assert add_working_days(date(2024, 10, 11), 1) == date(2024, 10, 12)

    def test_spring_festival_2025(self):
        # 2025-01-28 … 2025-02-04 off; Sunday 26 January and Saturday 8 February are working days.
        assert add_working_days(date(2025, 1, 27), 1) == date(2025, 2, 5)
        assert add_working_days(date(2025, 2, 7), 1) == date(2025, 2, 8)

    def test_a_holiday_entered_by_hand_for_a_year_the_package_does_not_cover(self):
        start = date(2031, 1, 1)  # beyond chinesecalendar's data
        assert add_working_days(date(2030, 12, 31), 1) == start
        WorkingCalendarDay.objects.create(date=start, kind="holiday", name="元旦", source="manual")

        assert not is_working_day(start)
        assert add_working_days(date(2030, 12, 31), 1) == date(2031, 1, 2)

    def test_a_long_count_crosses_several_holidays(self):
        # 23 Sep … 27 Sep (5), Sunday 29 Sep (6), 30 Sep (7), 8 … 12 Oct incl. Saturday 12 Oct (12), 14 … 23 Oct (20)
        assert add_working_days(date(2024, 9, 20), 20) == date(2024, 10, 23)

    def test_negative_days_are_refused(self):
        with pytest.raises(ValueError):
            add_working_days(date(2024, 1, 1), -1)

    def test_one_query_per_count(self, django_assert_num_queries):
        with django_assert_num_queries(1):
            add_working_days(date(2024, 9, 20), 20)


@pytest.mark.django_db
def test_sync_is_idempotent_and_never_overwrites_a_day_entered_by_hand():
    WorkingCalendarDay.objects.filter(date=date(2024, 10, 12)).delete()
    WorkingCalendarDay.objects.create(date=date(2024, 10, 12), kind="holiday", name="本地调整", source="manual")

    working_calendar_sync()
    assert working_calendar_sync() == 0

    manual = WorkingCalendarDay.objects.get(date=date(2024, 10, 12))
    assert (manual.kind, manual.source) == ("holiday", "manual")


@pytest.mark.django_db
def test_working_days_left_skip_holidays_and_count_make_up_days():
    for day in (1, 2, 3):
        WorkingCalendarDay.objects.create(date=date(2031, 10, day), kind="holiday", name="国庆节")
    WorkingCalendarDay.objects.create(date=date(2031, 10, 4), kind="workday", name="国庆节调休")
    monday_before, monday_after = date(2031, 9, 29), date(2031, 10, 6)

    # Tue 30 Sep, the make-up Saturday 4 Oct and Mon 6 Oct are working days; 1–3 Oct and Sun 5 Oct not
    assert working_days_left([monday_after], monday_before) == {monday_after: 3}
    assert working_days_left([monday_before], monday_after) == {monday_before: -3}
    assert working_days_left([monday_after], monday_after) == {monday_after: 0}
    assert working_days_left([None], monday_after) == {}
