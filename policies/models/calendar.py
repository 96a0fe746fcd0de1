from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class WorkingCalendarDay(models.Model):
    """An exception to the Monday–Friday week: an official holiday or a make-up working day (调休).

    Seeded from the chinesecalendar package for the years it covers; the policy admin adds the
    days of later years when the State Council publishes them.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Official holiday (no work)")
        WORKDAY = "workday", _("Make-up working day (调休)")

    class Source(models.TextChoices):
        PACKAGE = "chinesecalendar", _("chinesecalendar package")
        MANUAL = "manual", _("Entered by hand")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.MANUAL)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("working-calendar day")
        verbose_name_plural = _("working calendar")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"
