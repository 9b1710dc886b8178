"""The API's rate limits (API_RATE_ANON, API_RATE_USER) as counters in fixed windows.

DRF's own throttles keep each caller's request times as one list in the cache, read and written
back on every call: two round trips, a list as long as the rate to unpickle and pickle again (1,200
floats at the default user rate), and concurrent calls that each write back their own copy, so a
burst from parallel clients is counted as fewer calls than it was. Here each call adds one to the
caller's counter for the current window, atomically and in one round trip (helpdesk.cache.hit).
As with any fixed window, a client can spend up to twice the rate across a window's edge.
"""

from django.core.cache import cache as default_cache
from rest_framework import throttling

from helpdesk.cache import hit


class _Counting:
    cache = default_cache

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        return hit(self.cache, f"{self.key}:{window}", self.duration) <= self.num_requests

    def wait(self):
        """Seconds until the window ends (the Retry-After of a 429)."""
        return max(self.window_ends - self.now, 0)


class AnonRateThrottle(_Counting, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_Counting, throttling.UserRateThrottle):
    pass
