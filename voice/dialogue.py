"""The phone line around the one conversation core: one caller's keypress (or words) in, one
Turn (what to say, what to gather next, whom to dial) out. Plain functions, no HTTP, no XML:
voice.twiml turns a Turn into TwiML.

What is about the phone lives here: the welcome and its language digits (6, 7, 8 on the main
menu), the keypad convention (docs/api.md: 1 book, 2 cancel my appointment, 3 call me back,
0 talk to a person, 9 repeat), a withheld caller ID keying a number, silence said again once,
and saying a chosen time back before it is booked. Everything else (topics, places, times,
wishes, booking, cancelling, moving, call-backs, two misses then the call-back offer) is
conversations.dialogue: keys go to it as numbers (`choose`), words as text (`handle`), and its
Reply is said by voice.speech.
"""

import datetime
from dataclasses import dataclass, field

from conversations import callbacks, dialogue, understanding
from conversations.heard import hear
from conversations.menus import topic_names
from conversations.models import CallbackRequest, Conversation
from helpdesk import citizen_contact, phones
from helpdesk.channels import Channel
from helpdesk.models import Citizen, Topic
from voice.menus import open_digipunt_phone
from voice.models import VoiceCall
from voice.prompts import LANGUAGE_DIGITS, say
from voice.speech import speak

State = VoiceCall.State
REPEAT, PERSON = 9, 0
BOOK, CANCEL, CALLBACK = 1, 2, 3
MORE_KEY = "*"
YES, NO = 1, 2
# The main menu's keys as the core's commands.
MENU_INTENTS = {BOOK: understanding.BOOK, CANCEL: understanding.CANCEL, CALLBACK: understanding.CALLBACK}
# Words on the main menu that the core takes from there (any other words: not understood).
SPOKEN_COMMANDS = (
    understanding.BOOK,
    understanding.CANCEL,
    understanding.CALLBACK,
    getattr(understanding, "RESCHEDULE", "reschedule"),
    understanding.INFO,
)
MISS_LIMIT = 2  # two answers that made no sense, or two silences: a person calls back
LANGUAGES = ("nl", "fr", "en")


@dataclass
class Turn:
    says: list[tuple[str, str]] = field(default_factory=list)  # (language, text), in order
    gather: bool = False  # wait for a key or words after saying it
    number: bool = False  # gather a whole phone number, ended by #
    dial: str = ""  # connect to this number
    event: str = ""  # what happened, for the call log and the tests


@dataclass
class Heard:
    digits: str = ""
    speech: str = ""

    @property
    def silent(self) -> bool:
        return not self.digits and not self.speech.strip()


def _say(call, name, **values) -> tuple[str, str]:
    return (call.language, say(name, call.language, **values))


def _ask(call, state, says, data=None, *, missed=False) -> Turn:
    """Say `says` and wait; the question is kept so that 9 (or a silence) can say it again. A new
    question (not one said again after a miss) starts the count of misses afresh."""
    call.state = state
    if not missed:
        call.misses = 0
    if data is not None:
        call.data = data
    call.data["question"] = [list(line) for line in says]
    return Turn(says=list(says), gather=True, number=state == State.NUMBER)


def _end(call, *says, event="") -> Turn:
    call.state = State.DONE
    return Turn(says=[*says, _say(call, "goodbye")], event=event)


# The start of a call.


def welcome(call, now, resumed: VoiceCall | None = None) -> Turn:
    if resumed is not None:
        call.language = resumed.language
        topic = _topic_being_booked(call)
        if topic is not None:
            # Fresh times for the same topic: those offered before may have gone meanwhile.
            turn = core(call, now, intent=understanding.BOOK, topic_code=topic.code)
            turn.says.insert(0, _say(call, "welcome_back"))
            return turn
    says = [_say(call, "welcome", municipality=call.municipality.name)]
    says += [(code, say("language_offer", code, offered=code)) for code in LANGUAGES if code != call.language]
    return _ask(call, State.MENU, [*says, _say(call, "main_menu")], data={})


def main_menu(call) -> Turn:
    return _ask(call, State.MENU, [_say(call, "main_menu")], data={})


# One answer.


def answer(call, heard: Heard, now) -> Turn:
    """What the caller's keypress or words lead to, from the state the call is in."""
    if call.state == State.DONE:
        return _end(call)
    if heard.silent:
        return silence(call, now)
    if call.state == State.NUMBER:
        return keyed_number(call, heard.digits, now)
    choice = _key(heard)
    if choice is None and heard.speech:
        choice = _said_key(call, heard.speech, now)
    if choice == REPEAT:
        return _ask(call, call.state, [tuple(line) for line in call.data.get("question", [])])
    if choice == PERSON:
        return person(call, now)
    if call.state == State.MENU:
        return menu_choice(call, choice, heard, now)
    if call.state == State.CONFIRM:
        return confirm_choice(call, choice, now)
    return in_dialogue(call, choice, heard, now)


def _key(heard: Heard) -> int | str | None:
    """The one key pressed: a digit as a number, * as itself; None for anything else."""
    if heard.digits == MORE_KEY:
        return MORE_KEY
    return int(heard.digits) if len(heard.digits) == 1 and heard.digits.isdigit() else None


def _said_key(call, speech: str, now) -> int | None:
    """A key said in words: a number ("nummer twee", "de eerste"), or yes/no to the time said back."""
    message = hear(speech, {}, now)
    if message.number is not None:
        return message.number if 0 <= message.number <= 9 else None
    if call.state == State.CONFIRM:
        return {understanding.YES: YES, understanding.NO: NO}.get(message.intent)
    return None


def missed(call, now, *, silent=False) -> Turn:
    """Once: say it again. Twice: end politely and keep the caller for a call-back."""
    call.misses += 1
    if call.misses >= MISS_LIMIT:
        reason = CallbackRequest.Reason.NO_ANSWER if silent else CallbackRequest.Reason.NOT_UNDERSTOOD
        if _keep_for_callback(call, reason, now):
            return _end(call, _say(call, "silence_goodbye"), event="callback")
        return _end(call, _say(call, "silence_goodbye_anonymous"), event="ended")
    question = [tuple(line) for line in call.data.get("question", [])]
    if not silent:
        question.insert(0, _say(call, "not_understood"))
    return _ask(call, call.state, question, missed=True)


def silence(call, now) -> Turn:
    return missed(call, now, silent=True)


def menu_choice(call, choice, heard, now) -> Turn:
    digit_language = {digit: code for code, digit in LANGUAGE_DIGITS.items()}
    if heard.digits and choice in digit_language:
        call.language = digit_language[choice]
        if call.citizen_id:
            Citizen.objects.filter(pk=call.citizen_id).update(language=call.language)
        return main_menu(call)
    if choice in MENU_INTENTS:
        if not call.from_number:
            return ask_number(call)
        return core(call, now, intent=MENU_INTENTS[choice])
    if heard.speech and call.from_number and choice is None:
        message = understanding.read(heard.speech, topic_names(call.municipality_id))
        if message.intent in SPOKEN_COMMANDS or message.topic_code:
            return core(call, now, text=heard.speech)
    return missed(call, now)


# A person, or a call-back.


def person(call, now) -> Turn:
    number = open_digipunt_phone(call.municipality, now)
    if number:
        call.state = State.DONE
        return Turn(says=[_say(call, "connecting")], dial=number, event="dial")
    if not call.from_number:
        return ask_number(call, _say(call, "closed_callback"))
    _keep_for_callback(call, CallbackRequest.Reason.NO_STAFF, now)
    return _end(call, _say(call, "closed_callback"), event="callback")


def ask_number(call, *before) -> Turn:
    return _ask(call, State.NUMBER, [*before, _say(call, "key_number")], data={})


def keyed_number(call, digits: str, now) -> Turn:
    number = phones.parse(digits) if digits.isdigit() and len(digits) <= 15 else None
    if number is None:
        call.misses += 1
        if call.misses >= MISS_LIMIT:
            return _end(call, _say(call, "bad_number"), event="ended")
        return _ask(call, State.NUMBER, [_say(call, "bad_number"), _say(call, "key_number")], missed=True)
    call.from_number = number.as_e164
    _keep_for_callback(call, CallbackRequest.Reason.ASKED, now)
    return _end(call, _say(call, "callback_noted"), event="callback")


def _keep_for_callback(call, reason, now) -> bool:
    if not call.from_number:
        return False
    citizen = (
        call.citizen or Citizen.objects.filter(municipality=call.municipality, phone=call.from_number).first()
    )
    callbacks.request(
        citizen=citizen,
        municipality=call.municipality,
        phone=call.from_number,
        reason=reason,
        now=now,
        channel=Channel.VOICE,
    )
    return True


# The conversation core.


def _citizen(call) -> Citizen:
    if call.citizen is None:
        call.citizen, _created = citizen_contact.find_or_make(
            call.municipality_id, call.from_number, language=call.language, simulated=call.simulated
        )
    return call.citizen


def _topic_being_booked(call) -> Topic | None:
    """The topic whose times the caller's conversation offers, if it is at that point."""
    citizen = _citizen(call)
    conversation = Conversation.objects.filter(citizen=citizen, state=Conversation.State.SLOT).first()
    if conversation is None or not conversation.data.get("topic"):
        return None
    return Topic.objects.filter(pk=conversation.data["topic"]).first()


def core(call, now, *, text=None, **choice) -> Turn:
    """Hand the caller's words (`text`) or choice (number, intent, topic_code) to the conversation
    core, in the call's language, and say its Reply."""
    citizen = _citizen(call)
    if text is not None:
        reply = dialogue.handle(citizen, text, channel=Channel.VOICE, now=now, language=call.language)
    else:
        reply = dialogue.choose(citizen, channel=Channel.VOICE, now=now, language=call.language, **choice)
    call.language = reply.language
    spoken = speak(reply, mobile=citizen.can_receive_sms)
    says = [(reply.language, text) for text in spoken.lines]
    if spoken.again:
        question = [tuple(line) for line in call.data.get("question", [])]
        return _ask(call, call.state, [*says, *question], missed=True)
    if spoken.state == State.DONE:
        return _end(call, *says, event=reply.event or reply.key)
    data = {}
    if spoken.state == State.SLOT:  # what each key means, to say the chosen time back
        data["moments"] = [[option.start.isoformat(), option.place] for option in reply.options]
    return _ask(call, spoken.state, says, data=data)


def in_dialogue(call, choice, heard: Heard, now) -> Turn:
    """An answer to a question of the core: keys as numbers, words as words."""
    if choice == MORE_KEY:
        return core(call, now, intent=understanding.MORE)
    if (
        call.state == State.SLOT
        and isinstance(choice, int)
        and 1 <= choice <= len(call.data.get("moments", []))
    ):
        return confirm_time(call, choice)
    if heard.digits:
        # Out of range or garbage: the core counts it (twice: the call-back offer).
        number = choice if isinstance(choice, int) else -1
        return core(call, now, number=number)
    return core(call, now, text=heard.speech)


def confirm_time(call, number: int) -> Turn:
    """Say the chosen time back before booking it: a key pressed by mistake books nothing."""
    start, place = call.data["moments"][number - 1]
    data = {**call.data, "chosen": number, "offered": call.data.get("question", [])}
    moment = datetime.datetime.fromisoformat(start)
    return _ask(call, State.CONFIRM, [_say(call, "confirm_slot", start=moment, place=place)], data)


def confirm_choice(call, choice, now) -> Turn:
    if choice == YES:
        call.state = State.SLOT
        return core(call, now, number=call.data["chosen"])
    if choice == NO:
        call.state = State.SLOT
        call.data["question"] = call.data.get("offered", [])
        return core(call, now, intent=understanding.MORE)
    return missed(call, now)
