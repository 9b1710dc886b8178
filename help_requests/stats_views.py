"""The statistics dashboard and its exports (thin: the figures come from help_requests.stats)."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from help_requests import exports, network, stats
from help_requests.models import Outcome
from helpdesk import access, dates
from helpdesk.channels import Channel
from helpdesk.dates import validate_sensible_date
from helpdesk.models import Digipunt, Municipality

EXTENSIONS = ("csv", "xlsx")
WEEKDAYS = [
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
]


class StatsFilterForm(forms.Form):
    date_from = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=dates.DateInput(),
        validators=[validate_sensible_date],
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        widget=dates.DateInput(),
        validators=[validate_sensible_date],
    )
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.none(), required=False, label=gettext_lazy("Municipality"),
        empty_label=gettext_lazy("All of mine"),
    )  # fmt: skip
    digipunt = forms.ModelChoiceField(
        queryset=Digipunt.objects.none(), required=False, label=gettext_lazy("Digipunt"),
        empty_label=gettext_lazy("All digipunten"),
    )  # fmt: skip

    def __init__(self, *args, municipalities, digipunten, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["digipunt"].queryset = digipunten
        if municipalities.count() <= 1:
            del self.fields["municipality"]


def _selection(request):
    """(form, municipality ids or None, digipunt id, period) for the filters in the query."""
    if not access.is_office_member(request.user):
        raise PermissionDenied
    visible = access.municipality_ids(request.user, access.OFFICE_ROLES)
    municipalities = Municipality.objects.order_by("name")
    if visible is not None:
        municipalities = municipalities.filter(pk__in=visible)
    digipunten = Digipunt.objects.filter(municipality__in=municipalities).order_by("name")
    form = StatsFilterForm(request.GET or None, municipalities=municipalities, digipunten=digipunten)
    municipality_ids = None if visible is None else sorted(visible)
    digipunt_id, period = None, stats.Period.last_twelve_months()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        chosen = stats.Period.ending(data.get("date_from"), data.get("date_to"))
        problems = chosen.problems()
        for field, message in problems.items():
            form.add_error("date_from" if field == "from" else "date_to", message)
        if not problems:
            period = chosen
            if data.get("municipality"):
                municipality_ids = [data["municipality"].pk]
            if data.get("digipunt"):
                digipunt_id = data["digipunt"].pk
    return form, municipality_ids, digipunt_id, period


def bars(rows, label_of) -> list[dict]:
    top = max((row["count"] for row in rows), default=0)
    return [
        {
            "label": label_of(row),
            "count": row["count"],
            "percent": round(100 * row["count"] / top, 1) if top else 0,
        }
        for row in rows
    ]


@login_required
def dashboard(request):
    form, municipality_ids, digipunt_id, period = _selection(request)
    figures = stats.summary(municipality_ids, period, digipunt_id)
    channels, outcomes = dict(Channel.choices), dict(Outcome.choices)
    hours = sorted({cell["hour"] for cell in figures["heatmap"]} | set(range(9, 17)))
    cells = {(cell["weekday"], cell["hour"]): cell["count"] for cell in figures["heatmap"]}
    peak = max(cells.values(), default=0)
    heatmap = [
        {
            "day": WEEKDAYS[weekday - 1],
            "cells": [
                {"count": cells.get((weekday, hour), 0), "level": _level(cells.get((weekday, hour), 0), peak)}
                for hour in hours
            ],
        }
        for weekday in range(1, 8)
        if weekday <= 5 or any((weekday, hour) in cells for hour in hours)
    ]
    charts = [
        ("topic", _("Help by topic"), bars(figures["by_topic"], lambda r: r["name"])),
        ("channel", _("How citizens came"), bars(figures["by_channel"], lambda r: channels[r["channel"]])),
        ("outcome", _("Result"), bars(figures["by_outcome"], lambda r: outcomes[r["outcome"]])),
        ("digipunt", _("By digipunt"), bars(figures["by_digipunt"], lambda r: r["name"])),
        ("month", _("By month"), bars(figures["by_month"], lambda r: r["month"])),
    ]  # fmt: skip
    return render(
        request,
        "help_requests/stats.html",
        {
            "form": form,
            "figures": figures,
            "period": period,
            "charts": charts,
            "hours": hours,
            "heatmap": heatmap,
            "query": request.GET.urlencode(),
        },
    )


def _level(count: int, peak: int) -> int:
    """0-4: the shade of a heatmap cell (the number is always printed in it too)."""
    return 0 if not count or not peak else min(4, 1 + int(4 * count / (peak + 1)))


def _filename(stem: str, period: stats.Period, extension: str) -> str:
    return f"{stem}-{period.first:%Y%m%d}-{period.last:%Y%m%d}.{extension}"


@login_required
def export_help_requests(request, extension):
    if extension not in EXTENSIONS:
        raise Http404
    _form, municipality_ids, digipunt_id, period = _selection(request)
    queryset = stats.help_requests(municipality_ids, period, digipunt_id)
    header, rows = exports.help_request_header(), exports.help_request_rows(queryset)
    name = _filename("help-requests", period, extension)
    if extension == "xlsx":
        handle = exports.xlsx_file([(_("Help requests"), header, rows)])
        return FileResponse(handle, as_attachment=True, filename=name)
    response = StreamingHttpResponse(exports.csv_stream(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def export_summary(request, extension):
    if extension not in EXTENSIONS:
        raise Http404
    _form, municipality_ids, digipunt_id, period = _selection(request)
    tables = exports.summary_tables(stats.summary(municipality_ids, period, digipunt_id))
    name = _filename("statistics", period, extension)
    if extension == "xlsx":
        return FileResponse(exports.xlsx_file(tables), as_attachment=True, filename=name)

    response = StreamingHttpResponse(_summary_csv(tables), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _summary_csv(tables):
    """All tables in one CSV, each after a title line and followed by an empty line."""
    rows = []
    for title, header, table in tables:
        rows += [[title], header, *table, []]
    return exports.csv_stream(rows[0], rows[1:])


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in years]


@login_required
def network_view(request):
    """All municipalities side by side for a completed calendar year, anonymous (small counts
    suppressed): for everyone in an office, so municipalities can compare without seeing each
    other's people. Whole years only, so that two overlapping periods cannot be subtracted, and
    years that are over, so that today's table cannot be subtracted from tomorrow's."""
    if not access.is_office_member(request.user):
        raise PermissionDenied
    years = network.network_years(timezone.localdate())
    form = YearForm(request.GET or None, years=years, initial={"year": years[0]})
    year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else years[0]
    period = stats.Period.year(year)
    k = settings.STATS_MIN_CELL
    return render(
        request,
        "help_requests/stats_network.html",
        {"form": form, "figures": network.network(period, k), "period": period, "hidden_label": f"<{k}"},
    )
