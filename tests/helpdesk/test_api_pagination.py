"""Paginated lists (helpdesk/api/pagination.py): the same answers as DRF's pagination, without a
COUNT when the first page holds everything."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db

CITIZENS = "/api/v1/citizens/"


def citizens(municipality, n):
    for i in range(n):
        CitizenFactory(municipality=municipality, phone=f"+3247000{i:04d}")


def counts(queries) -> int:
    return sum("COUNT(*)" in q["sql"] for q in queries.captured_queries)


@pytest.mark.parametrize("n", [0, 3, 50])
def test_one_page_is_counted_without_a_count(api, staff_a, municipality_a, n):
    citizens(municipality_a, n)
    with CaptureQueriesContext(connection) as queries:
        body = api(staff_a).get(CITIZENS).json()
    assert body["count"] == n
    assert len(body["results"]) == n
    assert body["next"] is None
    assert body["previous"] is None
    assert counts(queries) == 0


def test_more_than_a_page_is_counted_and_paged_as_before(api, staff_a, municipality_a):
    citizens(municipality_a, 53)
    client = api(staff_a)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(CITIZENS).json()
    assert counts(queries) == 1
    assert first["count"] == 53
    assert len(first["results"]) == 50
    assert first["next"].endswith("?page=2")
    assert first["previous"] is None
    second = client.get(CITIZENS, {"page": 2}).json()
    assert second["count"] == 53
    assert len(second["results"]) == 3
    assert second["next"] is None
    last = client.get(CITIZENS, {"page": "last"}).json()
    assert last["results"] == second["results"]
    ids = [c["id"] for c in first["results"] + second["results"]]
    assert len(set(ids)) == 53


@pytest.mark.parametrize("page", ["0", "3", "abc", "1.5", "-1"])
def test_pages_that_do_not_exist_are_404(api, staff_a, municipality_a, page):
    citizens(municipality_a, 3)
    assert api(staff_a).get(CITIZENS, {"page": page}).status_code == 404
