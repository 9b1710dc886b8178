"""Celery beat's scheduler: the schedule and a lock in Redis (celery-redbeat), no local file.

config/settings.py picks it whenever REDIS_URL is set, for `celery -A config beat` and for the
beat embedded in `celery -A config worker -B` alike. Beat then writes nothing to disk (the file
scheduler's shelve file was what the embedded beat was seen dying on at start, "Bad file
descriptor"), and the lock in Redis makes a second beat, started by mistake or as a standby, wait
instead of queuing every job twice.

Plain RedBeat ends the beat process on the first Redis error (a lock it can no longer extend, a
connection refused), and nothing restarts the beat embedded in a worker: the worker would go on
with no clock, and SMS would wait in the outbox until someone restarted it. This scheduler waits
for Redis instead; once Redis answers again it takes the lock as at startup (another beat may
have it by then: then this one waits) and installs the schedule again (a Redis restarted
without persistence has lost it). The entries are the static ones of config/celery.py, so
nothing is lost with them but the time of each job's last run; the jobs are idempotent.
"""

import logging

import redis
from redbeat.schedulers import LUA_EXTEND_TO_SCRIPT, RedBeatScheduler, get_redis

logger = logging.getLogger("celery.beat")

# Settings RedBeat reads. It looks for them under these names only, not under the CELERY_ names
# that config/settings.py gives them (the Django settings namespace), so they are copied over.
REDBEAT_SETTINGS = ("redbeat_redis_url", "redbeat_key_prefix", "redbeat_lock_key", "redbeat_lock_timeout")


class ResilientRedBeatScheduler(RedBeatScheduler):
    schedule_ready = False

    def __init__(self, app, *args, **kwargs):
        for name in REDBEAT_SETTINGS:
            value = app.conf.get(name)
            if value is not None:
                app.conf[name] = value
        super().__init__(app, *args, **kwargs)

    def setup_schedule(self):
        try:
            super().setup_schedule()
        except redis.RedisError as error:
            self.schedule_ready = False
            logger.warning("beat: cannot reach Redis to install the schedule (%s); trying again", error)
        else:
            self.schedule_ready = True

    def take_lock(self) -> bool:
        """Take the lock if it is free, without waiting (RedBeat's own waits at startup)."""
        client = get_redis(self.app)
        lock = client.lock(self.lock_key, timeout=self.lock_timeout, sleep=self.max_interval)
        lock.lua_extend = client.register_script(LUA_EXTEND_TO_SCRIPT)  # as RedBeat does
        if not lock.acquire(blocking=False):
            return False
        logger.info("beat: Acquired lock")
        self.lock = lock
        return True

    def tick(self, *args, **kwargs):
        try:
            if self.lock_key and self.lock is None:
                # Lost (below), or never had: Redis did not answer when beat started.
                if not self.take_lock():
                    logger.debug("beat: another beat holds the lock; waiting")
                    return self.max_interval
                self.schedule_ready = False  # start afresh, as at startup
            if not self.schedule_ready:
                self.setup_schedule()
                if not self.schedule_ready:
                    return self.max_interval
            return super().tick(*args, **kwargs)
        except redis.exceptions.LockError as error:
            # The lock expired while Redis was out of reach, or Redis restarted empty.
            logger.warning("beat: lost the lock (%s); taking it again before scheduling anything", error)
            self.lock = None
            return min(1.0, self.max_interval)
        except redis.RedisError as error:
            logger.warning(
                "beat: cannot reach Redis (%s); nothing is scheduled until it answers, trying again in %ss",
                error,
                self.max_interval,
            )
            return self.max_interval

    def close(self):
        if self.lock is not None:
            try:
                if self.lock.owned():
                    logger.info("beat: Releasing lock")
                    self.lock.release()
            except redis.RedisError as error:
                logger.warning("beat: could not release the lock (%s); it expires by itself", error)
            self.lock = None
        super().close()  # with the lock gone, RedBeat's close goes on to Celery's (the broker connection)
