"""Slot search and the booking function in-process on SQLite (bench/run.py's own database),
compared with django-appointment 3.12 when the peer harness ran (bench/peers.py). Import after
django.setup()."""

import datetime

import data
from benchlib import measure
from django.utils import timezone
from figures import figure

N_VOLUNTEERS, N_APPOINTMENTS, HORIZON_DAYS = 20, 2000, 28
PEER = "django-appointment 3.12"


def ours(quick: bool) -> dict:
    """Slot search and the booking function on the seeded SQLite database."""
    from appointments.booking import book
    from appointments.slots import free_slots

    municipality, places, topic = data.seed_slots(N_VOLUNTEERS, N_APPOINTMENTS, HORIZON_DAYS)
    now = timezone.now()
    today = timezone.localdate()
    last = today + datetime.timedelta(days=HORIZON_DAYS)
    reps = 3 if quick else 15

    def horizon():
        return free_slots(
            topic=topic, language="nl", start_date=today, end_date=last, now=now, municipality=municipality
        )

    def one_day():
        day = today + datetime.timedelta(days=(7 - today.weekday()) % 7 or 7)  # next Monday
        return free_slots(
            topic=topic, language="nl", start_date=day, end_date=day, now=now, digipunten=[places[0]]
        )

    found = horizon()
    results = {
        "horizon": measure("slots: municipality, 2 digipunten x 20 volunteers x 4 weeks", horizon, reps, 1),
        "one_day": measure("slots: 1 digipunt, 1 day", one_day, reps * 5, 2),
        "slots_found": len(found),
    }
    # Booking: one new citizen per free slot, spread over the horizon.
    n = 12 if quick else 100
    picks = iter(found[:: max(1, len(found) // (n + 3))])
    citizens = iter(data.citizens(municipality, "472", n + 3))

    def book_one():
        slot = next(picks)
        book(
            citizen=next(citizens),
            digipunt=slot.digipunt,
            topic=topic,
            start=slot.start,
            language="nl",
            channel="phone",
        )

    results["book"] = measure("book(), distinct slots", book_one, n - 1, 1)  # + the query count's call
    return results


def slot_figures(mine: dict, theirs: dict | None) -> list[dict]:
    """Our slot and booking figures, with the peer's as baselines (none when it did not run)."""
    horizon, one_day, book = mine["horizon"], mine["one_day"], mine["book"]
    a1, b1, c2, d = (theirs.get(k) if theirs else None for k in ("a1", "b1", "c2", "d "))
    return [
        figure(
            "slots_horizon_ms",
            "slots, whole municipality, 4 weeks (SQLite): median",
            horizon["median_ms"],
            "ms",
            baseline=b1 and b1["median_ms"],
            baseline_name=f"{PEER}, 20 staff x month, staff by staff",
            note=f"{mine['slots_found']} free slots over {N_APPOINTMENTS} booked appointments"
            + _goal(horizon["median_ms"], b1, 100),
        ),
        figure(
            "slots_horizon_queries",
            "slots, whole municipality, 4 weeks: SQL queries",
            horizon["queries"],
            "q",
            baseline=b1 and b1["queries"],
            baseline_name=f"{PEER}, same",
        ),
        figure(
            "slots_day_ms",
            "slots, 1 digipunt, 1 day (SQLite): median",
            one_day["median_ms"],
            "ms",
            baseline=a1 and a1["median_ms"],
            baseline_name=f"{PEER}, 1 staff, 1 day",
            note=_goal(one_day["median_ms"], a1, 3).lstrip("; "),
        ),
        figure(
            "slots_day_queries",
            "slots, 1 digipunt, 1 day: SQL queries",
            one_day["queries"],
            "q",
            baseline=a1 and a1["queries"],
            baseline_name=f"{PEER}, same",
        ),
        figure(
            "booking_sqlite_ms",
            "booking: book() in-process, distinct slots (SQLite): median",
            book["median_ms"],
            "ms",
            baseline=c2 and c2["median_ms"],
            baseline_name=f"{PEER} booking, model path, no double-booking check",
            note=f"{book['queries']} queries against {c2['queries'] if c2 else '?'}"
            + (f"; {PEER} double-booking probe: {d['value']} appointments in one slot" if d else ""),
        ),
    ]


def _goal(ours_ms: float, theirs: dict | None, times: int) -> str:
    """The issue #14 goal: at least `times` faster than the peer (nothing without the peer)."""
    if not theirs:
        return ""
    met = ours_ms * times <= theirs["median_ms"]
    return f"; goal >= {times}x faster: {'met' if met else 'NOT met'}"
