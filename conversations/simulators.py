"""What the SMS and call simulators share: they play a citizen, never a real one."""

from django.utils.translation import gettext_lazy as _

from helpdesk.models import Citizen

REAL_NUMBER = _("This is the number of a real citizen. Use a made-up number such as 0470 00 00 01.")


def refuse_real_number(form, municipality, phone) -> None:
    """Add a form error when `phone` belongs to a real (not simulated) citizen of `municipality`:
    a simulated message or call must never reach or change a real person's records."""
    if not (municipality and phone):
        return
    if Citizen.objects.filter(municipality=municipality, phone=str(phone), simulated=False).exists():
        form.add_error("phone", REAL_NUMBER)
