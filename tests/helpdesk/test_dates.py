"""One rule for sensible dates (helpdesk.dates: 1 January 2000 to 31 December 2100), for every
date filter and every date written. Outside it: a 400 with a clear message. Near the ends of
Python's calendar, adding a day overflowed (GET /api/v1/appointments/?date=9999-12-31 was a 500),
and writes such as a help request on 0001-01-01 or a closure until 9999-12-31 were accepted."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from help_requests.models import HelpRequest
from helpdesk import dates
from helpdesk.models import Closure, Topic
from tests.factories import VolunteerFactory
from volunteers.models import Absence

pytestmark = pytest.mark.django_db

# The default language is Dutch.
MESSAGE = "Geef een datum tussen 2000 en 2100."
UNREADABLE = "Geef een datum als JJJJ-MM-DD."
FAR_OFF = ["9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01"]


@pytest.mark.parametrize(
    ("day", "sensible"),
    [
        (datetime.date(2000, 1, 1), True),
        (datetime.date(2100, 12, 31), True),
        (datetime.date(1999, 12, 31), False),
        (datetime.date(2101, 1, 1), False),
        (datetime.date.min, False),
        (datetime.date.max, False),
        (datetime.datetime(9999, 12, 31, 23, 59, tzinfo=datetime.UTC), False),
    ],
)
def test_the_rule(day, sensible):
    assert dates.is_sensible(day) is sensible
    if sensible:
        dates.validate_sensible_date(day)
    else:
        with pytest.raises(ValidationError):
            dates.validate_sensible_date(day)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("/api/v1/appointments/?date={day}", "date"),
        ("/api/v1/slots/?topic=taxes&from={day}", "from"),
        ("/api/v1/slots/?topic=taxes&to={day}", "to"),
        ("/api/v1/help-requests/?from={day}", "from"),
        ("/api/v1/help-requests/?to={day}", "to"),
        ("/api/v1/stats/?from={day}", "from"),
        ("/api/v1/stats/?to={day}", "to"),
    ],
)
@pytest.mark.parametrize("day", FAR_OFF)
def test_api_date_filters_refuse_far_off_dates_with_a_400(api, staff_a, digipunt_a, query, field, day):
    response = api(staff_a).get(query.format(day=day))
    assert response.status_code == 400
    assert response.json() == {field: [MESSAGE]}


@pytest.mark.parametrize("day", [*FAR_OFF, "2026-02-30", "garbage"])
def test_the_counter_day_page_refuses_a_far_off_or_unreadable_day(web, staff_a, digipunt_a, frozen_now, day):
    response = web(staff_a).get("/counter/", {"date": day})
    assert response.status_code == 400
    assert response.context["day"] == frozen_now.date()  # the day shown instead
    shown = [str(message) for message in response.context["messages"]]
    assert shown == [MESSAGE if day in FAR_OFF else UNREADABLE]


def test_a_help_request_on_a_far_off_day_is_refused(api, staff_a, digipunt_a):
    for field, day in (("date", "0001-01-01"), ("follow_up_on", "9999-12-31")):
        response = api(staff_a).post(
            "/api/v1/help-requests/",
            {
                "digipunt": digipunt_a.pk,
                "date": "2026-01-05",
                "topics": ["taxes"],
                "channel": "phone",
                "duration_minutes": 20,
                "outcome": "solved",
                field: day,
            },
            format="json",
        )
        assert response.status_code == 400
        assert response.json() == {field: [MESSAGE]}
    assert not HelpRequest.objects.exists()


def test_the_log_help_page_refuses_a_far_off_follow_up(web, staff_a, digipunt_a, frozen_now):
    response = web(staff_a).post(
        "/help/log/",
        {
            "digipunt": digipunt_a.pk,
            "topics": [Topic.objects.get(code="taxes").pk],
            "outcome": "referred",
            "referred_to": "ocmw",
            "duration_minutes": "20",
            "channel": "counter",
            "date": frozen_now.date().isoformat(),
            "first_visit": "unknown",
            "follow_up_on": "9999-12-31",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["follow_up_on"] == [MESSAGE]
    assert not HelpRequest.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [("2026-12-01", "9999-12-31", "end_date"), ("0001-01-01", "2026-12-01", "start_date")],
)
def test_a_closure_into_a_far_off_year_is_refused(api, coordinator_a, digipunt_a, start, end, field):
    response = api(coordinator_a).post(
        f"/api/v1/digipunten/{digipunt_a.pk}/closures/",
        {"start_date": start, "end_date": end, "reason": "Werken"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {field: [MESSAGE]}
    assert not Closure.objects.exists()


def test_an_absence_starting_in_a_far_off_year_is_refused(api, staff_a, digipunt_a):
    volunteer = VolunteerFactory(municipality=digipunt_a.municipality, digipunten=[digipunt_a])
    response = api(staff_a).post(
        f"/api/v1/volunteers/{volunteer.pk}/absences/",
        {"start_date": "9999-12-31", "end_date": "9999-12-31"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"start_date": [MESSAGE], "end_date": [MESSAGE]}
    assert not Absence.objects.exists()


def test_the_absence_page_refuses_a_far_off_year(web, staff_a, digipunt_a):
    volunteer = VolunteerFactory(municipality=digipunt_a.municipality, digipunten=[digipunt_a])
    response = web(staff_a).post(
        f"/volunteers/{volunteer.pk}/availability/",
        {"add_absence": "1", "absence-start_date": "2026-12-01", "absence-end_date": "2101-01-01"},
    )
    assert response.status_code == 200
    assert response.context["absence_form"].errors["end_date"] == [MESSAGE]
    assert not Absence.objects.exists()


@pytest.mark.parametrize("page", ["/stats/", "/guides/signals/"])
@pytest.mark.parametrize("field", ["date_from", "date_to"])
def test_the_filter_pages_show_the_same_message(web, coordinator_a, digipunt_a, page, field):
    response = web(coordinator_a).get(page, {field: "9999-12-31"})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [MESSAGE]
