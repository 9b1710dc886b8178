"""The retention purge as a background job (registered in PrivacyConfig.ready)."""

import datetime

from django.utils import timezone

from helpdesk import jobs
from privacy import erasure


@jobs.register(every=datetime.timedelta(hours=1))
def purge_personal_data() -> dict:
    """Retention (GDPR): blank or unlink personal data past each municipality's periods."""
    return erasure.purge(now=timezone.now())
