"""The dialogue's Reply (conversations.reply) worded as one SMS (sms.texts)."""

from conversations.reply import Reply
from sms import reminders
from sms.texts import render

MENUS_OF_TIMES = ("slot_menu", "slot_taken", "reschedule_menu")


def text(reply: Reply) -> str:
    language, values = reply.language, dict(reply.values)
    if reply.key == "booked":
        return reminders.confirmation_text(reply.appointment)
    if reply.key == "rescheduled":
        appointment = reply.appointment
        digipunt = appointment.digipunt
        return render(
            "rescheduled",
            language,
            start=appointment.start,
            place=digipunt.name,
            address=digipunt.address,
            code=appointment.code,
        )
    if reply.key == "topic_menu":
        values.update(topics=[option.label for option in reply.options], more=reply.more)
    elif reply.key == "place_menu":
        values = {"places": [option.label for option in reply.options]}
    elif reply.key in MENUS_OF_TIMES:
        values.update(slots=[(option.start, option.place) for option in reply.options], more=reply.more)
    return render(reply.key, language, **values)
