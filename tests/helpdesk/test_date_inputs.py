"""Date inputs carry ISO values: a browser drops "01/12/2026" from an <input type="date">, and the
form then arrives without its date (issue 17, item 8)."""

import datetime
import importlib
import pkgutil

import pytest
from django import forms
from django.utils import translation

from helpdesk import dates

APPS = ["helpdesk", "privacy", "volunteers", "appointments", "sms", "help_requests", "guides"]


def _project_forms():
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in module.name and not module.name.endswith(".management"):
                importlib.import_module(module.name)
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        # The admin swaps in its own text widget for date fields (a calendar, localised values).
        if cls.__module__.split(".")[0] in APPS and not cls.__module__.endswith("admin"):
            found.append(cls)
    return found


def test_every_date_field_of_every_form_uses_the_iso_widget():
    date_fields = [
        (form.__name__, name, field)
        for form in _project_forms()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateField)
    ]
    assert date_fields, "the project's forms have date fields; the search found none"
    wrong = [
        (form, name) for form, name, field in date_fields if not isinstance(field.widget, dates.DateInput)
    ]
    assert wrong == []


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_widget_renders_iso_in_every_language(language):
    with translation.override(language):
        html = dates.DateInput().render("day", datetime.date(2026, 12, 1))
    assert 'type="date"' in html
    assert 'value="2026-12-01"' in html


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_the_log_form_prefills_an_iso_day(language, web, staff_a, digipunt_a, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 1, 10, tzinfo=datetime.UTC), tick=False)
    with translation.override(language):
        page = web(staff_a).get("/help/log/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert 'name="date" value="2026-12-01"' in page
