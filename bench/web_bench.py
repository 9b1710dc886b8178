"""The HTTP benchmarks on PostgreSQL under gunicorn (run by bench/run.py, or alone):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/digipunt_bench python bench/web_bench.py [--quick]

Seeds one municipality (4 digipunten with one desk and one volunteer each), then, in this order:
1. in-process, sequential: the booking function (appointments.booking.book) on distinct slots,
   against a plain ORM INSERT of the same appointment row (the floor of any booking);
2. starts gunicorn (gthread workers) on a free port with DEBUG off, and drives it from several
   load-generator processes (http.client, keep-alive, one connection per thread):
   - the highest request rate (closed loop) of GET /healthz (a minimal Django view: one SELECT 1
     through the whole middleware stack) between every two of the phases below, each phase's
     baseline the mean of the /healthz phases just before and after it (web_load.Beside); of
     the three floors (bench/bench_urls.py, bench-only: the
     cheapest authenticated DRF call, the cheapest signed Twilio webhook, and that webhook storing
     its message as one row), of a signed POST
     /sms/inbound/ (each from a new number, so each is a real conversation step: first SMS ->
     topic menu), of a free-text answer to that menu ("mijn gsm" -> 3 slots, after an untimed
     first SMS from each number), and of a signed POST /voice/inbound/ (each a new call: the call
     and step rows, the welcome TwiML);
   - then the webhook at a fixed rate of half its highest rate (open loop: requests leave on a
     schedule, latency is measured from the scheduled time), p50 and p99;
   - booking through the API (POST /api/v1/appointments/) on distinct slots from concurrent
     clients, and contention: several clients released at once on the same slot.
Prints one JSON object: {"figures": [...], "info": {...}}. The parts: bench/data.py (seed_web),
bench/web_booking.py (slots, in-process booking), bench/web_server.py (gunicorn) and
bench/web_load.py (the load generator).
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]
# config.settings with mail kept in memory (a booking e-mails the volunteer; no SMTP here).
os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"

from figures import figure  # noqa: E402
from web_booking import in_process_booking, slot_pools  # noqa: E402
from web_load import SMS_TO, Beside, api_bodies, contention, load  # noqa: E402
from web_server import THREADS, WORKERS, Gunicorn  # noqa: E402

BOOK_STATEMENT_GOAL = 12
CLIENT_PROCESSES, CLIENT_THREADS = 3, 2  # closed loop: 6 connections in flight
OPEN_PROCESSES, OPEN_THREADS = 3, 4  # open loop: 12 connections to keep the schedule


FLOOR_API, FLOOR_TWILIO = "/bench/floor/api/", "/bench/floor/twilio/"
FLOOR_STORE = "/bench/floor/twilio-store/"


def floor_tokens(municipality, closed: dict) -> list[list[str]]:
    """API tokens of new staff members of `municipality`, [process][thread] of a closed loop."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from helpdesk.models import Membership, Role

    tokens = []
    for p in range(closed["processes"]):
        tokens.append([])
        for t in range(closed["threads"]):
            user = get_user_model().objects.create(username=f"benchfloor{p}_{t}")
            Membership.objects.create(user=user, municipality=municipality, role=Role.STAFF)
            tokens[p].append(Token.objects.create(user=user).key)
    return tokens


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    quick = args.quick
    import django

    django.setup()
    from data import seed_web

    from appointments.models import Appointment

    workdir = Path(os.environ.get("BENCH_WORKDIR", "/tmp"))
    phase, warm, fixed_seconds = (2.0, 0.5, 2.0) if quick else (10.0, 2.0, 15.0)
    n_inproc, n_api, rounds, attempts = (12, 24, 2, 12) if quick else (100, 600, 10, 16)
    municipality, _places, topic, token = seed_web(SMS_TO)
    pool_inproc, pool_floor, pool_api, pool_contention = slot_pools(
        municipality, topic, sizes=[n_inproc, n_inproc, n_api, rounds]
    )
    book_ms, insert_ms, book_statements = in_process_booking(pool_inproc, topic, pool_floor)
    figures = [
        figure(
            "booking_inprocess_ms",
            f"booking: book() in-process, {n_inproc} distinct slots, PostgreSQL",
            book_ms,
            "ms",
            baseline=insert_ms,
            baseline_name="plain ORM INSERT of the same appointment row, same database",
            note="goal <= 5x: " + ("met" if book_ms <= 5 * insert_ms else "NOT met"),
        ),
        figure(
            "booking_inprocess_statements",
            "booking: book() SQL statements per booking (most of one run), PostgreSQL",
            book_statements,
            "q",
            baseline=BOOK_STATEMENT_GOAL,
            baseline_name="the goal (issue #14)",
            note="goal <= 12: " + ("met" if book_statements <= BOOK_STATEMENT_GOAL else "NOT met"),
        ),
    ]
    server = Gunicorn(os.environ["DATABASE_URL"], workdir / "gunicorn.log")
    info = {
        "server": f"gunicorn {WORKERS} gthread workers x {THREADS} threads",
        "cache": "Redis" if server.redis_url else "local memory",
        "quick": quick,
    }
    try:
        server.wait_ready()
        port = server.port
        closed = {"processes": CLIENT_PROCESSES, "threads": CLIENT_THREADS}
        load(port, {"kind": "healthz"}, duration=warm, **closed)  # warm-up: connections, imports
        load(
            port,
            {"kind": "sms", "base_url": server.base_url, "body": "AFSPRAAK", "prefix": "6"},
            duration=warm,
            **closed,
        )
        # Each closed-loop phase between two /healthz phases, its baseline (web_load.Beside).
        beside = Beside(port, phase=phase, **closed)
        healthz = beside.last
        # The floors (bench/bench_urls.py): what an authenticated DRF call and a signed webhook
        # cost before any work. One caller per client thread, so no throttle answers 429.
        floor_api_kind = {"kind": "slots", "tokens": floor_tokens(municipality, closed), "path": FLOOR_API}
        floor_api = beside.run(floor_api_kind, warm=warm)
        floor_twilio_kind = {"kind": "signed", "base_url": server.base_url, "path": FLOOR_TWILIO}
        floor_twilio = beside.run(floor_twilio_kind, warm=warm)
        floor_store_kind = {"kind": "signed", "base_url": server.base_url, "path": FLOOR_STORE}
        floor_store = beside.run(floor_store_kind, warm=warm)
        # Slot search through the API: one digipunt, one day (a weekday with free slots).
        day = pool_api[0].start.date().isoformat()
        slots_kind = {
            "kind": "slots",
            "token": token,
            "path": f"/api/v1/slots/?digipunt={pool_api[0].digipunt.pk}&topic={topic.code}"
            f"&from={day}&to={day}",
        }
        slots_day, slots_base = beside.run(slots_kind, warm=warm)
        menu_kind = {"kind": "sms", "base_url": server.base_url, "body": "AFSPRAAK", "prefix": "7"}
        menu, menu_base = beside.run(menu_kind)
        voice, voice_base = beside.run({"kind": "voice", "base_url": server.base_url, "prefix": "5"})
        half = menu["ok_rps"] / 2
        fixed = load(
            port,
            {**menu_kind, "prefix": "8"},
            duration=fixed_seconds,
            rate=half,
            processes=OPEN_PROCESSES,
            threads=OPEN_THREADS,
        )
        # The latency baseline: the minimal view at the same fixed rate, same schedule.
        fixed_healthz = load(
            port,
            {"kind": "healthz"},
            duration=fixed_seconds,
            rate=half,
            processes=OPEN_PROCESSES,
            threads=OPEN_THREADS,
        )
        # A free-text answer: each number first gets the topic menu (untimed setup, the same
        # numbers in the same order), then answers it in words ("mijn gsm" -> 3 slots).
        answer_kind = {"kind": "sms", "base_url": server.base_url, "prefix": "5"}
        load(port, {**answer_kind, "body": "AFSPRAAK"}, duration=phase * 1.5, **closed)
        beside.last = load(port, {"kind": "healthz"}, duration=phase, **closed)  # after the setup
        answer, answer_base = beside.run({**answer_kind, "body": "mijn gsm"})
        sentence = sentence_base = None
        if not quick:
            sentence, sentence_base = beside.run(
                {
                    "kind": "sms",
                    "base_url": server.base_url,
                    "prefix": "9",
                    "body": "ik wil hulp met mijn belastingen",
                }
            )
        bodies = api_bodies(pool_api, "47")
        split = CLIENT_PROCESSES * CLIENT_THREADS
        spread = [
            [bodies[(p * CLIENT_THREADS + t) :: split] for t in range(CLIENT_THREADS)]
            for p in range(CLIENT_PROCESSES)
        ]
        api, api_base = beside.run({"kind": "booking", "token": token, "bodies": spread}, duration=600)
        contended = contention(port, token, pool_contention, attempts)
    finally:
        server.stop()
    per_slot = [
        Appointment.objects.filter(digipunt=s.digipunt, start=s.start, status__in=Appointment.ACTIVE).count()
        for s in pool_contention
    ]
    connections = f"{CLIENT_PROCESSES * CLIENT_THREADS} connections"
    info.update(
        healthz=healthz,
        healthz_beside=beside.healthz,
        baselines={
            "slots_day": slots_base,
            "menu": menu_base,
            "voice": voice_base,
            "answer": answer_base,
            "sentence": sentence_base,
            "api": api_base,
        },
        slots_day=slots_day,
        menu=menu,
        voice=voice,
        fixed=fixed,
        fixed_healthz=fixed_healthz,
        floor_api=floor_api,
        floor_twilio=floor_twilio,
        floor_store=floor_store,
        sentence=sentence,
        answer=answer,
        api=api,
        contention={
            "statuses": {str(k): v for k, v in contended.items()},
            "per_slot": per_slot,
            "attempts": attempts,
            "rounds": rounds,
        },
    )
    errors = lambda r: sum(v for k, v in r["statuses"].items() if k not in ("200", "201"))  # noqa: E731
    ratio_goal = "goal >= 0.5: " + ("met" if menu["ok_rps"] >= menu_base["ok_rps"] / 2 else "NOT met")
    beside_name = "GET /healthz, same server, same clients, just before and after"
    p99_goal = "goal p99 < 100 ms: " + ("met" if (fixed["p99_ms"] or 1e9) < 100 else "NOT met")
    figures += [
        figure(
            "webhook_rps",
            f"SMS webhook, first SMS -> topic menu, max rate ({connections})",
            menu["ok_rps"],
            "req/s",
            baseline=menu_base["ok_rps"],
            baseline_name=beside_name,
            better="higher",
            note=f"{ratio_goal}; non-2xx {errors(menu)}; client used {menu['client_cpu_cores']} cores",
        ),
        figure(
            "voice_webhook_rps",
            f"voice webhook, new call -> welcome TwiML, max rate ({connections})",
            voice["ok_rps"],
            "req/s",
            baseline=voice_base["ok_rps"],
            baseline_name=beside_name,
            better="higher",
            note=f"non-2xx {errors(voice)}; client used {voice['client_cpu_cores']} cores",
        ),
        figure(
            "webhook_p50_ms",
            f"SMS webhook at {half:.0f} req/s (half its max, open loop): p50",
            fixed["p50_ms"],
            "ms",
            baseline=fixed_healthz["p50_ms"],
            baseline_name="GET /healthz at the same rate and schedule",
            note=f"sent {fixed['requests']} in {fixed['elapsed_s']} s, non-2xx {errors(fixed)}",
        ),
        figure(
            "webhook_p99_ms",
            f"SMS webhook at {half:.0f} req/s (half its max, open loop): p99",
            fixed["p99_ms"],
            "ms",
            baseline=fixed_healthz["p99_ms"],
            baseline_name="GET /healthz at the same rate and schedule",
            note=p99_goal,
        ),
    ]
    for key, name, (result, base) in (
        ("floor_api", f"floor: authenticated DRF call answering [] ({FLOOR_API})", floor_api),
        ("floor_twilio", f"floor: signed Twilio webhook, <Response/> ({FLOOR_TWILIO})", floor_twilio),
        ("floor_store", f"floor: signed webhook storing its message, one row ({FLOOR_STORE})", floor_store),
    ):
        figures += [
            figure(
                f"{key}_rps",
                f"{name}, max rate ({connections})",
                result["ok_rps"],
                "req/s",
                baseline=base["ok_rps"],
                baseline_name=beside_name,
                better="higher",
                note=f"bench-only URL (bench/bench_urls.py); non-2xx {errors(result)}",
            ),
            figure(
                f"{key}_p50_ms",
                f"{name}, max rate ({connections}): p50",
                result["p50_ms"],
                "ms",
                baseline=base["p50_ms"],
                baseline_name=beside_name + " (p50)",
                note="what the stack costs before any work",
            ),
        ]
    figures.append(
        figure(
            "webhook_answer_rps",
            "SMS webhook, free-text answer to the menu ('mijn gsm' -> 3 slots), max rate",
            answer["ok_rps"],
            "req/s",
            baseline=answer_base["ok_rps"],
            baseline_name=beside_name,
            better="higher",
            note=f"non-2xx {errors(answer)}; after an untimed first SMS from each number",
        )
    )
    if sentence:
        figures.append(
            figure(
                "webhook_slots_rps",
                "SMS webhook, sentence -> 3 slots (slot search), max rate",
                sentence["ok_rps"],
                "req/s",
                baseline=sentence_base["ok_rps"],
                baseline_name=beside_name,
                better="higher",
                note=f"non-2xx {errors(sentence)}",
            )
        )
    figures.append(
        figure(
            "slots_api_day_p50_ms",
            f"slots via API, 1 digipunt, 1 day, max rate ({connections}): p50",
            slots_day["p50_ms"],
            "ms",
            baseline=slots_base["p50_ms"],
            baseline_name=beside_name + " (p50)",
            note="goal <= 3x: "
            + ("met" if (slots_day["p50_ms"] or 1e9) <= 3 * slots_base["p50_ms"] else "NOT met")
            + f"; {slots_day['ok_rps']:.0f} req/s; non-2xx {errors(slots_day)}",
        )
    )
    fives = sum(v for k, v in contended.items() if str(k).startswith("5") or k == "error")
    figures += [
        figure(
            "booking_api_rps",
            f"booking via API, {n_api} distinct slots, {connections}",
            api["ok_rps"],
            "bookings/s",
            baseline=api_base["ok_rps"],
            baseline_unit="req/s",
            baseline_name=beside_name,
            better="higher",
            note=("goal >= 0.1: met" if api["ok_rps"] >= api_base["ok_rps"] / 10 else "goal >= 0.1: NOT met")
            + f"; statuses {api['statuses']}",
        ),
        figure(
            "booking_contention",
            f"booking via API, {attempts} clients at once on one slot x {rounds}",
            max(per_slot),
            "appts/slot",
            baseline=1,
            baseline_name="expected: exactly one",
            note=f"statuses {dict(contended)}; 5xx {fives} (goal: none)",
        ),
    ]
    print(json.dumps({"figures": figures, "info": info}, default=str))


if __name__ == "__main__":
    main()
