"""What happened to an appointment, announced to the apps above (sms/, later voice/).

Sent synchronously inside the transaction that made the change, so a receiver's writes (an
outbox row, say) commit or roll back with it. Receivers must not swallow errors: a failing
receiver fails the booking rather than leaving a booking without its messages.
Every signal is sent with `sender` = the model class and `now` (the time of the change).
"""

from django.dispatch import Signal

# appointment, notify (False: demo data, or a reschedule whose callers tell people themselves)
appointment_booked = Signal()
# appointment, previous (the status it had)
appointment_status_changed = Signal()
# appointment (after appointment_status_changed)
appointment_cancelled = Signal()
# old, new: both committed together (the old one cancelled, the new one booked)
appointment_rescheduled = Signal()
# entry: a freed time was offered to this waitlist entry (entry.offered_start, offered_digipunt)
waitlist_offer_made = Signal()
