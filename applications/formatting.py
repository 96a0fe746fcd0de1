"""How dates read to people: 2026年3月2日 (Chinese style, Asia/Shanghai)."""

from datetime import date, datetime

from django.utils import timezone


def chinese_date(value: date | datetime | None) -> str:
    """2026年3月2日 (a datetime is read in the local time zone, Asia/Shanghai)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return f"{value.year}年{value.month}月{value.day}日"
