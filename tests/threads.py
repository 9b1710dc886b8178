"""Work started in several threads at the same moment, for the race tests."""

import threading

from django.db import connections


def in_threads(count, work) -> list:
    """`work(index)` in `count` threads released together by a barrier, each on its own database
    connection (closed after); their results in the order they finished, an exception's repr for
    one that raised."""
    barrier = threading.Barrier(count)
    results = []

    def run(index):
        try:
            barrier.wait()
            results.append(work(index))
        except Exception as error:
            results.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results
