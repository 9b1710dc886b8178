"""The local time zone (settings.TIME_ZONE, Europe/Brussels): times are stored in UTC and every
day, opening hour and statistic bucket is read in this zone."""

import zoneinfo

from django.conf import settings


def local_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)
