"""bench/stats_bench.py's seed: the database makes the rows, with the shape the benchmark
describes, and the indexes and foreign keys it dropped for the load are back. Both databases."""

import datetime
import importlib.util
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import F

from help_requests.models import HelpRequest, HelpRequestTopic
from helpdesk.models import Digipunt, Municipality

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture
def stats_bench(db, monkeypatch):
    monkeypatch.setattr(sys, "path", list(sys.path))  # the module puts bench/ first; undone after
    spec = importlib.util.spec_from_file_location("stats_bench_under_test", BENCH / "stats_bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "call_command", lambda *args, **kwargs: None)  # migrated already
    return module


def indexes() -> set[str]:
    with connection.cursor() as cursor:
        names = set()
        for table in ("help_requests_helprequest", "help_requests_helprequesttopic"):
            names |= {
                name
                for name, info in connection.introspection.get_constraints(cursor, table).items()
                if info["index"] or info["foreign_key"]
            }
        return names


def test_the_seed_makes_the_described_rows(stats_bench):
    before = indexes()
    main = stats_bench.seed(300, 1200)
    assert indexes() == before
    assert HelpRequest.objects.count() == 1500
    assert HelpRequest.objects.filter(municipality_id=main).count() == 300
    assert Municipality.objects.filter(name__startswith="Gemeente ").count() == 300
    assert Digipunt.objects.filter(municipality_id=main).count() == 2
    others = HelpRequest.objects.exclude(municipality_id=main)
    assert others.values("municipality_id").distinct().count() == 300  # round robin: 4 each
    rows = HelpRequest.objects.all()
    assert not rows.exclude(date__year=2025).exists()
    assert not rows.filter(date__week_day__in=[1, 7]).exists()  # weekdays only
    assert all(HelpRequest.buckets(r.date) == {"month": r.month, "iso_week": r.iso_week, "weekday": r.weekday}
               for r in rows.only("date", "month", "iso_week", "weekday"))  # fmt: skip
    assert set(rows.values_list("hour", flat=True)) <= {9, 10, 11, 13, 14, 15, 16}
    assert set(rows.values_list("channel", flat=True)) == {"sms", "phone", "counter", "web", "api"}
    assert min(rows.values_list("duration_minutes", flat=True)) >= 10
    assert max(rows.values_list("duration_minutes", flat=True)) <= 90
    referred = rows.filter(outcome="referred")
    assert 40 < referred.count() < 200  # 8 %
    assert not referred.exclude(referred_to="ocmw").exists()
    assert not rows.exclude(outcome="referred").exclude(referred_to="", follow_up_on=None).exists()
    assert all(r.follow_up_on == r.date + datetime.timedelta(days=14) for r in referred)
    assert 600 < rows.filter(outcome="solved").count() < 1200  # 60 %
    assert set(rows.values_list("first_visit", flat=True)) == {True, False, None}
    links = HelpRequestTopic.objects.all()
    assert 1500 < links.count() < 1500 * 1.3  # one topic each, a second for about 14 %
    assert links.values("help_request_id").distinct().count() == 1500
    for copied in ("municipality_id", "date", "month"):  # the request's, as the model says
        assert not links.exclude(**{copied: F(f"help_request__{copied}")}).exists()


def test_a_seeded_database_is_used_as_it_is(stats_bench):
    main = stats_bench.seed(30, 60)
    assert stats_bench.seed(30, 60) == main
    assert HelpRequest.objects.count() == 90
