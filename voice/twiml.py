"""A dialogue Turn as TwiML, through twiml's own builder (never hand-written XML).

Every prompt is said with the voice configured for its language (settings.VOICE_VOICES: a
Belgian voice where the provider has one). A question is a <Gather input="dtmf speech"> whose
action is the next step's URL; actionOnEmptyResult makes a silence come back as a step too.
"""

from django.conf import settings
from django.urls import reverse
from twilio.twiml.voice_response import VoiceResponse

GATHER_SECONDS = 6
NUMBER_DIGITS = 15  # the longest E.164 number; # ends it sooner


def _voice(language: str) -> dict:
    return settings.VOICE_VOICES.get(language) or settings.VOICE_VOICES["nl"]


def _say(verb, language: str, text: str) -> None:
    voice = _voice(language)
    verb.say(text, voice=voice["voice"], language=voice["language"])


def render(turn, *, language: str, step: int) -> str:
    response = VoiceResponse()
    if turn.gather:
        gather = response.gather(
            input="dtmf speech",
            action=reverse("voice:step", args=[step]),
            method="POST",
            language=_voice(language)["language"],
            timeout=GATHER_SECONDS,
            speech_timeout="auto",
            action_on_empty_result=True,
            **({"finish_on_key": "#", "num_digits": NUMBER_DIGITS} if turn.number else {"num_digits": 1}),
        )
        for line_language, text in turn.says:
            _say(gather, line_language, text)
    else:
        for line_language, text in turn.says:
            _say(response, line_language, text)
        if turn.dial:
            response.dial(turn.dial)
        else:
            response.hangup()
    return str(response)
