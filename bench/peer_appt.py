"""django-appointment 3.12, measured the way the peer harness's appt/bench_appt.py does, but only
the figures bench/run.py compares against (run by bench/peers.py in the peer's virtualenv, from
$PEERS_WORK/appt; the harness is optional, named by PEERS_SRC):

    a1  free slots of one staff member on one day (get_available_slots_for_staff)
    b1  the same for 20 staff x every day of the month, staff by staff (no whole-horizon call exists)
    c2  booking through its model path (AppointmentRequest.save + create_and_save_appointment)
    d   double-booking probe: the same slot booked twice through its views

    python peer_appt.py OUT.json REPS_FACTOR
"""

import datetime as dt
import os
import sys

HERE = os.getcwd()
sys.path[:0] = [HERE, os.path.dirname(HERE)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apptproj.settings")
import django  # noqa: E402

django.setup()
from appointment.models import Appointment, AppointmentRequest, Service, StaffMember  # noqa: E402
from appointment.services import get_available_slots_for_staff  # noqa: E402
from appointment.utils.db_helpers import create_and_save_appointment, get_weekday_num_from_date  # noqa: E402
from benchlib import measure, save  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.urls import reverse  # noqa: E402

out, factor = sys.argv[1], float(sys.argv[2])
reps = lambda n: max(2, int(n * factor))  # noqa: E731
service = Service.objects.get(name="Digital help")
staff = list(StaffMember.objects.order_by("id"))
first = AppointmentRequest.objects.order_by("date").first().date
days = [first + dt.timedelta(d) for d in range(31) if (first + dt.timedelta(d)).month == first.month]
top = (
    AppointmentRequest.objects.values("staff_member", "date")
    .annotate(n=Count("id"))
    .order_by("-n", "date")
    .first()
)
member, day = StaffMember.objects.get(pk=top["staff_member"]), top["date"]
results = [
    measure(
        "a1 1 staff, 1 day",
        lambda: get_available_slots_for_staff(day, member, get_weekday_num_from_date(day), service=service),
        reps(300),
    )
]


def month():
    for s in staff:
        for d in days:
            get_available_slots_for_staff(d, s, get_weekday_num_from_date(d), service=service)


# The query count's call is the warm-up; a quick run times one more call.
results.append(
    measure(f"b1 {len(staff)} staff x {len(days)} days", month, 1 if factor < 0.5 else 10, warmup=0)
)
free = (  # lazily: only as many days as the bookings below consume
    (s, d, t)
    for d in days
    for s in staff
    for t in get_available_slots_for_staff(d, s, get_weekday_num_from_date(d), service=service)
)
client_user = get_user_model().objects.get(username="client0001")
factory = RequestFactory()


def book_model():
    s, d, t = next(free)
    request = factory.post("/")
    request.user = client_user
    ar = AppointmentRequest(
        date=d, start_time=t.time(), end_time=(t + service.duration).time(), service=service, staff_member=s
    )
    ar.full_clean()
    ar.save()
    create_and_save_appointment(
        ar, {"email": client_user.email}, {"phone": "+31201234567", "address": "Town"}, request
    )


results.append(measure("c2 booking, model path", book_model, reps(200)))
web = Client()
web.force_login(client_user)


def book_view(s, d, t):
    start = t.time()
    end = (dt.datetime.combine(d, start) + service.duration).time()
    r = web.post(
        reverse("appointment:appointment_request_submit"),
        {
            "date": d.isoformat(),
            "start_time": start.strftime("%H:%M"),
            "end_time": end.strftime("%H:%M"),
            "service": service.pk,
            "staff_member": s.pk,
        },
    )
    web.post(
        r["Location"],
        {
            "name": "Client One",
            "phone_0": "NL",
            "phone_1": "0201234567",
            "address": "Town",
            "additional_info": "",
            "payment_type": "full",
        },
    )


s, d, t = next(free)
book_view(s, d, t)
book_view(s, d, t)
same = Appointment.objects.filter(
    appointment_request__staff_member=s, appointment_request__date=d, appointment_request__start_time=t.time()
).count()
results.append({"name": "d double-booking probe", "value": same})
save(results, out)
