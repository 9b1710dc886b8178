"""FlatSerializer: shallow copies of the declared fields, each serializer still with its own."""

from rest_framework import serializers

from helpdesk.api.fields import FlatSerializer


class Citizen(FlatSerializer):
    phone = serializers.CharField(max_length=5)


class Booking(FlatSerializer):
    language = serializers.ChoiceField(choices=["nl", "fr"])
    note = serializers.CharField(max_length=3, required=False)
    citizen = Citizen()


def test_each_serializer_binds_its_own_fields_and_leaves_the_declared_ones_alone():
    first, second = Booking(), Booking()
    for name in ("language", "note", "citizen"):
        assert first.fields[name] is not second.fields[name]
        assert first.fields[name] is not Booking._declared_fields[name]
        assert first.fields[name].parent is first
        assert second.fields[name].parent is second
        assert getattr(Booking._declared_fields[name], "parent", None) is None  # never bound
        assert Booking._declared_fields[name].source is None
    # The nested serializer is a deep copy: its own fields, bound under it.
    assert first.fields["citizen"].fields["phone"] is not second.fields["citizen"].fields["phone"]
    assert first.fields["citizen"].fields["phone"].parent is first.fields["citizen"]


def test_validating_one_changes_nothing_for_the_next():
    bad = Booking(data={"language": "de", "note": "too long", "citizen": {"phone": "123456"}})
    assert not bad.is_valid()
    assert set(bad.errors) == {"language", "note", "citizen"}
    good = Booking(data={"language": "fr", "citizen": {"phone": "123"}})
    assert good.is_valid(), good.errors
    assert good.validated_data == {"language": "fr", "citizen": {"phone": "123"}}
    assert not Booking(data={"language": "de", "citizen": {"phone": "1"}}).is_valid()


def test_a_model_serializer_builds_its_fields_once_and_writes_the_same(db, monkeypatch):
    from appointments.api.serializers import AppointmentSerializer
    from tests.factories import AppointmentFactory

    built = []
    original = serializers.ModelSerializer.get_fields
    monkeypatch.delattr(AppointmentSerializer, "_fields_once", raising=False)  # not built yet
    monkeypatch.setattr(
        serializers.ModelSerializer, "get_fields", lambda self: built.append(1) or original(self)
    )
    appointment = AppointmentFactory()
    first = AppointmentSerializer(appointment).data
    second = AppointmentSerializer(appointment).data
    assert len(built) == 1
    assert first == second
    assert first["code"] == appointment.code
    assert first["citizen"] == {
        "id": appointment.citizen.pk,
        "phone": str(appointment.citizen.phone),
        "name": appointment.citizen.name,
    }
