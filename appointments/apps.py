from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "appointments"

    def ready(self):
        from appointments import citizen_data, schedule_snapshot
        from appointments.models import Appointment, WalkIn
        from helpdesk import citizen_data as registry
        from privacy import audit

        audit.watch(Appointment, audit.Subject.APPOINTMENT)
        audit.watch(WalkIn, audit.Subject.WALK_IN)
        registry.register(citizen_data.HOLDER)
        schedule_snapshot.connect()
