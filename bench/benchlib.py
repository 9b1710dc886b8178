# The peer harness's benchlib.py, copied here on purpose: the same timing code as the peers.
"""Tiny timing harness shared by all peer benchmarks (copy alongside any Django project).

measure(name, fn, reps): warm-up calls, then ONE call with a query counter installed via
connection.execute_wrapper (same count as django.test.utils.CaptureQueriesContext, but without its
9,000-query log cap; kept out of the timed loop), then `reps` timed calls with time.perf_counter.
Returns median/p10/p90/min/max in milliseconds and the SQL query count of one call.
"""
import json, statistics, time
from django.db import connection


class _Count:
    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def count_queries(fn):
    c = _Count()
    with connection.execute_wrapper(c):
        fn()
    return c.n


def measure(name, fn, reps=50, warmup=3):
    for _ in range(warmup):
        fn()
    nq = count_queries(fn)
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t0) * 1000.0)
    ts.sort()
    q = statistics.quantiles(ts, n=10) if len(ts) >= 2 else [ts[0]] * 9
    r = dict(name=name, reps=reps, queries=nq, median_ms=round(statistics.median(ts), 3),
             p10_ms=round(q[0], 3), p90_ms=round(q[-1], 3), min_ms=round(ts[0], 3), max_ms=round(ts[-1], 3))
    return r


def show(r, out=None):
    import sys
    print(f"{r['name']:<60} median {r['median_ms']:>10.3f} ms  p10 {r['p10_ms']:>9.3f}  p90 {r['p90_ms']:>9.3f}"
          f"  queries {r['queries']:>5}  n={r['reps']}", file=out or sys.stderr, flush=True)


def save(results, path):
    with open(path, "w") as f:
        json.dump(results, f, indent=1, default=str)


def calibrate(reps=2000):
    """Machine-speed anchors so results from other machines can be normalised:
    ORM get-by-pk on auth_user, and a pure-Python loop."""
    from django.contrib.auth import get_user_model
    U = get_user_model(); pk = U.objects.order_by("pk").values_list("pk", flat=True).first()
    a = measure("calib ORM User.objects.get(pk=...)", lambda: U.objects.get(pk=pk), reps)
    b = measure("calib pure-python sum(range(100000))", lambda: sum(range(100000)), 200)
    return [a, b]
