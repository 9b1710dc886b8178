"""The audit log: who looked at or changed personal data, when, from where; append-only."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from appointments import lifecycle
from privacy import audit
from privacy.models import AuditEvent
from tests.factories import AppointmentFactory, CitizenFactory

pytestmark = pytest.mark.django_db


def test_changes_are_logged_whoever_makes_them(frozen_now, digipunt_a, staff_a):
    appointment = AppointmentFactory(digipunt=digipunt_a, start=frozen_now + datetime.timedelta(days=1))
    lifecycle.cancel(appointment, by=staff_a, reason="ill")
    entries = AuditEvent.objects.filter(subject="appointment", subject_id=appointment.pk).order_by("pk")
    assert [e.action for e in entries] == ["create", "change"]
    assert entries.last().detail == "status=cancelled"
    assert {e.municipality_id for e in entries} == {digipunt_a.municipality_id}
    assert {e.via for e in entries} == {"job"}  # no request: background work or a command


def test_a_page_view_records_who_and_from_where(frozen_now, web, digipunt_a, staff_a):
    citizen = CitizenFactory(municipality=digipunt_a.municipality)
    response = web(staff_a).get(f"/sms/citizens/{citizen.pk}/", REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 200
    entry = AuditEvent.objects.get(action="view", subject="sms")
    assert (entry.actor, entry.ip_address, entry.subject_id, entry.via) == (
        staff_a,
        "192.0.2.7",
        citizen.pk,
        "web",
    )


def test_forwarded_for_is_ignored_unless_a_proxy_is_trusted(frozen_now, web, digipunt_a, staff_a):
    citizen = CitizenFactory(municipality=digipunt_a.municipality)
    web(staff_a).get(
        f"/sms/citizens/{citizen.pk}/", REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert AuditEvent.objects.get(action="view").ip_address == "192.0.2.7"


def test_api_lists_of_personal_data_are_logged_without_the_values(api, digipunt_a, staff_a):
    CitizenFactory(municipality=digipunt_a.municipality, phone="+32470111222")
    assert api(staff_a).get("/api/v1/citizens/", {"phone": "+32470111222"}).status_code == 200
    entry = AuditEvent.objects.get(action="view", subject="citizen")
    assert entry.detail == "api list by phone"
    assert "470111222" not in entry.detail
    assert entry.via == "api"
    assert entry.municipality_id == digipunt_a.municipality_id


def test_the_log_cannot_be_changed_or_deleted(digipunt_a):
    CitizenFactory(municipality=digipunt_a.municipality)
    entry = AuditEvent.objects.get()
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.update(detail="x")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_a_rewrite_too(digipunt_a):
    CitizenFactory(municipality=digipunt_a.municipality)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE privacy_auditevent SET detail = 'rewritten'")
    assert AuditEvent.objects.get().detail == ""


def test_deleting_a_user_keeps_their_entries(digipunt_a, staff_a, web):
    citizen = CitizenFactory(municipality=digipunt_a.municipality)
    web(staff_a).get(f"/sms/citizens/{citizen.pk}/")
    staff_a.delete()
    entry = AuditEvent.objects.get(action="view")
    assert entry.actor is None
    assert entry.subject_id == citizen.pk


def test_coordinators_see_their_municipality_only(web, digipunt_a, digipunt_b, coordinator_a, coordinator_b):
    mine = CitizenFactory(municipality=digipunt_a.municipality)
    theirs = CitizenFactory(municipality=digipunt_b.municipality)
    page = web(coordinator_a).get("/audit/", {"subject": "citizen"})
    assert page.status_code == 200
    shown = [event.subject_id for event in page.context["page"].object_list]
    assert mine.pk in shown
    assert theirs.pk not in shown
    assert list(web(coordinator_b).get("/audit/", {"subject_id": mine.pk}).context["page"].object_list) == []


def test_staff_and_volunteers_do_not_see_the_log(web, staff_a, volunteer_a):
    assert web(staff_a).get("/audit/").status_code == 403
    assert web(volunteer_a).get("/audit/").status_code == 403


def test_bad_filters_are_ignored_not_a_500(web, coordinator_a):
    assert (
        web(coordinator_a)
        .get("/audit/", {"subject_id": "abc", "action": "<script>", "page": "x"})
        .status_code
        == 200
    )


def test_collected_entries_are_left_to_the_caller_and_the_rest_written_at_the_end(digipunt_a):
    with audit.collected() as entries:
        first = AppointmentFactory(digipunt=digipunt_a)
        second = AppointmentFactory(digipunt=digipunt_a)
        assert not AuditEvent.objects.exists()  # gathered, not written
        mine = [e for e in entries if e.subject == "appointment"]
        assert [(e.action, e.subject_id) for e in mine] == [("create", first.pk), ("create", second.pk)]
        entries.remove(mine[0])  # the caller wrote that one itself
    written = AuditEvent.objects.filter(subject="appointment")
    assert list(written.values_list("subject_id", flat=True)) == [second.pk]
    assert AuditEvent.objects.filter(subject="citizen").count() == 2  # the rest: written at the end


def test_collected_entries_of_a_block_that_failed_are_not_written(digipunt_a):
    def fail_after_a_change():
        with audit.collected():
            AppointmentFactory(digipunt=digipunt_a)
            raise RuntimeError("undone")

    with pytest.raises(RuntimeError):
        fail_after_a_change()
    AppointmentFactory(digipunt=digipunt_a)  # outside: written at once, as always
    assert AuditEvent.objects.filter(subject="appointment").count() == 1


def test_a_collecting_block_inside_another_shares_its_list_and_the_outer_writes_the_rest(digipunt_a):
    with audit.collected() as outer:
        citizen = CitizenFactory(municipality=digipunt_a.municipality)
        with audit.collected() as inner:
            assert inner is outer
            assert [e.subject_id for e in inner if e.subject == "citizen"] == [citizen.pk]
        assert not AuditEvent.objects.exists()  # the inner block leaves writing to the outer
    assert AuditEvent.objects.filter(subject="citizen", subject_id=citizen.pk).count() == 1
