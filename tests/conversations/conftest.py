"""The dialogue is tested through the SMS webhook, as a citizen's phone would have it: the SMS
fixtures (signed webhook, locmem backend, Thursday 26 November 2026 10:00) serve here too."""

from tests.sms.conftest import _sms_settings, citizen_a, helper, phone_of  # noqa: F401
