"""Every app that keeps something on a citizen says how to erase it (helpdesk.citizen_data)."""

from django.apps import apps

from helpdesk import citizen_data, jobs
from helpdesk.models import Citizen


def test_every_model_linked_to_a_citizen_belongs_to_an_app_that_erases():
    holding = {
        model._meta.app_label
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and field.related_model is Citizen
    }
    erasing = {holder.name for holder in citizen_data.HOLDERS if holder.erase is not None}
    assert holding  # appointments, sms, ... hold citizens: the scan found them
    assert holding <= erasing, f"no erase registered for {holding - erasing}"


def test_erasure_runs_the_holders_top_down_and_release_bottom_up():
    names = [holder.name for holder in citizen_data.HOLDERS]
    # Registered in INSTALLED_APPS order, lowest app first.
    assert names.index("appointments") < names.index("sms") < names.index("help_requests")
    erase_order = citizen_data.holders("erase", top_down=True)
    assert erase_order[0].__module__ == "help_requests.citizen_data"


def test_registering_again_replaces_instead_of_adding():
    before = list(citizen_data.HOLDERS)
    citizen_data.register(citizen_data.Holder(name=before[0].name))
    try:
        assert [holder.name for holder in citizen_data.HOLDERS] == [holder.name for holder in before]
        assert citizen_data.HOLDERS[0].erase is None  # replaced where it stood
    finally:
        citizen_data.HOLDERS[:] = before


def test_every_app_job_is_registered_once():
    names = [job.__name__ for job in jobs.JOBS]
    assert sorted(names) == ["purge_personal_data", "queue_reminders", "send_due_email", "send_due_sms"]
