"""Moving the next appointment ("verzetten", "déplacer", "reschedule"): three new times, then
both-or-neither through appointments.lifecycle.reschedule (conversations.booking.take)."""

from conversations.booking import offer_slots
from conversations.cancelling import next_appointment
from conversations.heard import fits_wish
from conversations.menus import place_matters, places
from conversations.reply import Reply
from conversations.state import State, say, set_state


def start_reschedule(conversation, citizen, message, now) -> Reply:
    appointment = next_appointment(citizen, now)
    if appointment is None:
        set_state(conversation, State.IDLE, now)
        return say(conversation, "no_appointment")
    # Same place when the places lie in different towns (it was chosen), else any place.
    digipunt_id = appointment.digipunt_id if place_matters(places(citizen.municipality_id)) else None
    wish = message.wish
    fits = (lambda slot: fits_wish(wish, slot.start, [appointment.start], now)) if wish else None
    reply = offer_slots(
        conversation, citizen, appointment.topic, digipunt_id, now, fits=fits, moving=appointment
    )
    if reply.key == "no_later_slots":  # nothing fits the wish: any other time then
        reply = offer_slots(conversation, citizen, appointment.topic, digipunt_id, now, moving=appointment)
    return reply
