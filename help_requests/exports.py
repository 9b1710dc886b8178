"""Exports of the help-request log and the statistics: CSV for Excel with Belgian settings (UTF-8
with BOM, `;` separator) and XLSX, both streamed so memory stays flat for a million rows.

Anonymous: no note, no citizen, no helper. Cells that a spreadsheet would run as a formula are
neutralised with a leading apostrophe: starting with = + - @, tab or carriage return, or with
the full-width equals, plus, minus and at signs (U+FF1D, U+FF0B, U+FF0D, U+FF20) that
spreadsheets read as the same, also after zero-width characters or a BOM. Every CSV and XLSX
the project writes goes through `csv_stream` or `xlsx_file`.
"""

import csv
import tempfile

from django.utils.translation import gettext as _

from help_requests.models import HelpRequestTopic

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Invisible in a cell and skipped before a trigger: zero-width space, non-joiner, joiner, word
# joiner, and the byte order mark (zero-width no-break space).
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
CHUNK = 2000


def neutralise(value):
    if isinstance(value, str) and value.lstrip(INVISIBLE).startswith(FORMULA_STARTS):
        return "'" + value
    return value


def help_request_header() -> list[str]:
    return [
        _("date"),
        _("hour"),
        _("weekday"),
        _("municipality"),
        _("digipunt"),
        _("topics"),
        _("channel"),
        _("duration (minutes)"),
        _("outcome"),
        _("can now do this alone"),
        _("age band"),
        _("first visit"),
        _("referred to"),
    ]


def help_request_rows(queryset):
    """One list per help request, topics as codes; the topics come in a second ordered pass
    merged by id, so the database is read in chunks and nothing grows with the row count."""
    requests = queryset.order_by("pk").values_list(
        "pk",
        "date",
        "hour",
        "weekday",
        "municipality__name",
        "digipunt__name",
        "channel",
        "duration_minutes",
        "outcome",
        "self_reliant",
        "age_band",
        "first_visit",
        "referred_to",
    )
    links = (
        HelpRequestTopic.objects.filter(help_request__in=queryset.values("pk"))
        .order_by("help_request_id", "topic__code")
        .values_list("help_request_id", "topic__code")
        .iterator(chunk_size=CHUNK)
    )
    pending = next(links, None)
    for pk, date, hour, weekday, municipality, digipunt, *rest in requests.iterator(chunk_size=CHUNK):
        codes = []
        while pending is not None and pending[0] <= pk:
            if pending[0] == pk:
                codes.append(pending[1])
            pending = next(links, None)
        channel, minutes, outcome, alone, age_band, first_visit, referred_to = rest
        yield [
            date.isoformat(),
            "" if hour is None else hour,
            weekday,
            municipality,
            digipunt,
            ",".join(codes),
            channel,
            minutes,
            outcome,
            int(alone),
            age_band,
            "" if first_visit is None else int(first_visit),
            referred_to,
        ]


class _Line:
    """A file-like object whose write returns what was written (for csv.writer in a stream)."""

    def write(self, value):
        return value


def csv_stream(header, rows):
    writer = csv.writer(_Line(), delimiter=";")
    yield "\ufeff" + writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def xlsx_file(sheets: list[tuple[str, list, object]]):
    """Write sheets (name, header, rows) to a temporary XLSX file and return it, rewound.

    XlsxWriter's constant_memory mode flushes each row to disk as it is written."""
    import xlsxwriter

    handle = tempfile.TemporaryFile()  # noqa: SIM115 (the FileResponse that sends it closes it)
    workbook = xlsxwriter.Workbook(
        handle,
        {"constant_memory": True, "in_memory": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    bold = workbook.add_format({"bold": True})
    for name, header, rows in sheets:
        sheet = workbook.add_worksheet(name[:31])
        sheet.write_row(0, 0, [neutralise(cell) for cell in header], bold)
        for index, row in enumerate(rows, start=1):
            sheet.write_row(index, 0, [neutralise(cell) for cell in row])
    workbook.close()
    handle.seek(0)
    return handle


def summary_tables(figures: dict) -> list[tuple[str, list, list]]:
    """The aggregated figures as (name, header, rows) tables, for CSV sections and XLSX sheets."""
    count = _("count")

    def rows(key, *fields):
        return [[row[field] for field in fields] for row in figures[key]]

    share = figures["self_reliance_share"]
    totals = [
        [_("help requests"), figures["total"]],
        [_("hours of help"), figures["help_hours"]],
        [_("share who can now do it alone"), "" if share is None else share],
        [_("unmet demand"), figures["unmet_demand"]],
        [_("previous period"), figures["previous_period"]["total"]],
    ]
    appointments = [[key, "" if value is None else value] for key, value in figures["appointments"].items()]
    return [
        (_("Totals"), [_("figure"), _("value")], totals),
        (_("By topic"), [_("topic"), _("name"), count], rows("by_topic", "topic", "name", "count")),
        (_("By channel"), [_("channel"), count], rows("by_channel", "channel", "count")),
        (_("By outcome"), [_("outcome"), count], rows("by_outcome", "outcome", "count")),
        (_("By digipunt"), [_("digipunt"), count], rows("by_digipunt", "name", "count")),
        (_("By month"), [_("month"), count], rows("by_month", "month", "count")),
        (_("By week"), [_("week"), count], rows("by_week", "week", "count")),
        (
            _("Weekday and hour"),
            [_("weekday"), _("hour"), count],
            rows("heatmap", "weekday", "hour", "count"),
        ),
        (_("Appointments"), [_("figure"), _("value")], appointments),
    ]
