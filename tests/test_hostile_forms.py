"""Hostile input in every form of the pages of the URLconf, as seen by a staff member, a
coordinator, a volunteer and someone not logged in: never a 5xx; NUL, over-long text and far-off
dates refused (a 400 for NUL, or the page again, or a redirect) with nothing written; emoji and
right-to-left text refused or stored exactly as typed. tests/hostile.py has the values and how a
submission is run and judged.
"""

import datetime
import re
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.test import Client

from tests.factories import PASSWORD
from tests.hostile import FAR_OFF_DAYS, LONG, NUL, WORLDLY, build_world, judge, submit
from tests.test_isolation import concrete_paths

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(frozen_now, digipunt_a, staff_a, coordinator_a):
    return build_world(frozen_now, digipunt_a, staff_a, coordinator_a)


class PostForms(HTMLParser):
    """The <form method="post"> of a page: action, enctype, fields and named submit buttons."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value if value is not None else "" for name, value in attrs}
        if tag == "form":
            if attrs.get("method", "").lower() == "post":
                self._form = {
                    "action": attrs.get("action", ""),
                    "enctype": attrs.get("enctype", ""),
                    "fields": [],
                }
            return
        if self._form is None or ("name" not in attrs and tag != "option"):
            return
        if tag == "input" and attrs.get("type") not in ("file", "reset", "image"):
            self._form["fields"].append({"tag": "input", **attrs})
        elif tag == "button" and attrs.get("type", "submit") == "submit":
            self._form["fields"].append({"tag": "button", **attrs})
        elif tag == "select":
            self._select = {"tag": "select", "options": [], **attrs}
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea":
            self._textarea = {"tag": "textarea", "value": "", **attrs}
            self._form["fields"].append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def typed_value(field, today):
    """What a person would fill in for an empty field."""
    kind, name = field.get("type", "text"), field["name"]
    if kind == "email":
        return "an@example.org"
    if kind == "tel" or "phone" in name:
        return "0470 12 34 56"
    if field.get("inputmode") in ("numeric", "tel"):
        return "1"  # digits, as a keypad would type them (the call simulator's keys)
    if kind == "number":
        return str(max(int(field.get("min") or 1), 1))
    if kind == "date":
        return (
            today if name.endswith("date") and "_" not in name else today + datetime.timedelta(days=7)
        ).isoformat()
    if kind == "time":
        return "11:00" if "end" in name or "clos" in name else "10:00"
    if kind == "password":
        return PASSWORD
    return "Test"


def form_variants(form, page, today):
    """(action, baseline pairs, editable fields) of a form, once per named submit button."""
    action = urljoin(page, form["action"] or page)
    pairs, editable, buttons = [], [], []
    # Of each group of radio buttons or checkboxes: those checked, else the first (ticked), but
    # an optional question asked with radio buttons is left unanswered.
    groups = {}
    for field in form["fields"]:
        if field.get("type") in ("checkbox", "radio"):
            groups.setdefault(field["name"], []).append(field)
    ticked = {
        id(chosen)
        for group in groups.values()
        for chosen in (
            [f for f in group if "checked" in f]
            or (group[:1] if group[0].get("type") == "checkbox" or "required" in group[0] else [])
        )
    }
    for field in form["fields"]:
        name, tag, kind = field["name"], field["tag"], field.get("type", "text")
        if name == "csrfmiddlewaretoken":
            continue
        if tag == "button" or kind == "submit":
            buttons.append((name, field.get("value", "")))
        elif tag == "select":
            options = field["options"]
            chosen = [v for v, selected in options if selected and (v or "required" not in field)]
            chosen = chosen or [v for v, _s in options if v][:1]
            pairs += [(name, value) for value in chosen]
            editable.append(("choice", name))
        elif kind in ("checkbox", "radio"):
            if id(field) in ticked:
                pairs.append((name, field.get("value", "on")))
            # A lone checkbox is a yes/no: any value at all means "yes", as in a browser.
            choice = "yes/no" if kind == "checkbox" and field.get("value", "on") == "on" else "choice"
            if (choice, name) not in editable:
                editable.append((choice, name))
        elif tag == "textarea" or kind in ("text", "search", "email", "tel", "url", "number", "date", "time",
                                            "password", "hidden"):  # fmt: skip
            value = field.get("value", "").strip()
            # What the page put in a hidden field stays (even empty); a person fills in the rest.
            pairs.append((name, value if kind == "hidden" else value or typed_value(field, today)))
            free = tag == "textarea" or kind in ("text", "search")
            editable.append((kind if not free else "free", name, int(field.get("maxlength") or 0)))
    for button in buttons or [None]:
        yield action, pairs + ([button] if button else []), editable


def form_values(editable):
    kind, name = editable[0], editable[1]
    values = [("nul", NUL)] if kind == "yes/no" else [("nul", NUL), ("long", LONG)]
    if kind == "date":
        values += [("far-off", day) for day in FAR_OFF_DAYS]
    elif kind == "free":
        values.append(("worldly", WORLDLY))
        if editable[2] >= len(LONG):
            values[1] = ("worldly", LONG)
    return name, values


def form_pages(world):
    """Every page of the URLconf that has a post form, for each kind of visitor."""
    ids = sorted({record.pk for record in world.values()})
    visitors = {
        "anonymous": None,
        "staff": world["staff"],
        "coordinator": world["coordinator"],
        "volunteer": world["volunteer"].user,
    }
    paths = sorted(set(concrete_paths(ids)))
    assert len(paths) > 100  # the URLconf was really walked
    for who, user in visitors.items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        found = set()  # routes with forms already found: one record's page is enough
        for path in paths:
            route = re.sub(r"/\d+/", "/<id>/", path)
            if path.startswith(("/api/", "/sms/inbound/", "/sms/status/")) or route in found:
                continue
            if user is None and route != path:
                continue  # someone not logged in sees no record's page
            response = client.get(path)
            if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
                parser = PostForms()
                parser.feed(response.content.decode())
                if parser.forms:
                    found.add(route)
                for form in parser.forms:
                    yield who, client, path, form


def post(client, action, pairs, form):
    """As a browser sends the form: form-encoded, or multipart when the form says so."""
    if form["enctype"] == "multipart/form-data":
        data = {}
        for name, value in pairs:
            data.setdefault(name, []).append(value)
        return client.post(action, data)
    return client.post(action, urlencode(pairs), content_type="application/x-www-form-urlencoded")


# Forms whose first answer, filled in as a person would without thinking, is a refusal: for these
# the walk still shows no 5xx and nothing written, not that a refusal was the hostile value's.
NOT_ACCEPTED_AS_FILLED = {
    "/accounts/login/",  # a wrong password on purpose: the right one would log in, and write
    "/volunteers/availability/ add_block",  # the volunteer already serves every opening hour
    "/volunteers/<id>/availability/ add_block",
}


def test_every_form_refuses_hostile_input(world, frozen_now):
    today = frozen_now.date()
    problems, seen, walked, accepted = [], set(), set(), set()
    for who, client, page, form in form_pages(world):
        for action, pairs, editable in form_variants(form, page, today):
            path = re.sub(r"/\d+/", "/<id>/", urlsplit(action).path)
            button = next(
                (name for name, _value in pairs if name.startswith(("add_", "approve", "decline"))), ""
            )
            key = f"{path} {button}".strip()
            # The same form on many pages (the language switch), for many rows or for several
            # visitors: once, as the first visitor who has it.
            shape = (path, tuple(sorted(name for name, _value in pairs)))
            if not editable or shape in seen:
                continue
            seen.add(shape)
            walked.add(key)

            def send(pairs, client=client, action=action, form=form):
                return lambda: post(client, action, pairs, form)

            response, written, _how = submit(send(pairs), None)
            if response.status_code < 400 and (written or 300 <= response.status_code < 400):
                accepted.add(key)
            for field in editable:
                name, values = form_values(field)
                for kind, value in values:
                    changed = [(n, v) for n, v in pairs if n != name] + [(name, value)]
                    response, written, how = submit(send(changed), value)
                    problem = judge(kind, response, written, how, api=False, field=name)
                    if problem:
                        problems.append(f"{who} {action} {name}={value[:20]!r}: {problem}")
    # The walk reached the forms that matter, not only the login page.
    for expected in (
        "/accounts/login/",
        "/counter/book/",
        "/help/log/",
        "/volunteers/apply/",
        "/guides/new/",
    ):
        assert expected in walked, sorted(walked)
    # Filled in plainly, the forms are accepted: a refusal above is the hostile value's doing.
    assert walked - accepted <= NOT_ACCEPTED_AS_FILLED, sorted(walked - accepted)
    assert not problems, "\n".join(problems)
