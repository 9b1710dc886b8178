"""The SMS an appointment causes, written in the transaction of the change that caused it.

appointments/ announces (appointments.signals); this module listens: a booking queues its
reminder and, unless it was made by SMS (that confirmation is the webhook's reply), its
confirmation; leaving "booked" cancels the reminder; a waitlist offer to someone who asked by
SMS is texted.
"""

from django.dispatch import receiver

from appointments import signals
from appointments.models import Appointment
from helpdesk.channels import Channel
from sms import reminders
from sms.waitlist_offers import text_waitlist_offer


@receiver(signals.appointment_booked, dispatch_uid="sms-booked")
def booked(sender, appointment, now, notify=True, **kwargs):
    reminders.schedule(appointment, now=now)
    if notify and appointment.channel != Channel.SMS:
        reminders.confirm(appointment, now=now)


@receiver(signals.appointment_status_changed, dispatch_uid="sms-status-changed")
def status_changed(sender, appointment, previous, now, **kwargs):
    if previous == Appointment.Status.BOOKED:
        reminders.cancel(appointment)


@receiver(signals.waitlist_offer_made, dispatch_uid="sms-waitlist-offer")
def waitlist_offer_made(sender, entry, now, **kwargs):
    if entry.channel == Channel.SMS:
        text_waitlist_offer(entry, now=now)
