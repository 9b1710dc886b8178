"""The languages the service speaks, as short codes used in data (not Django's locale codes)."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    NL = "nl", _("Dutch")
    FR = "fr", _("French")
    EN = "en", _("English")


# Volunteers and digipunten may offer more languages than the interface speaks.
SPOKEN_LANGUAGES = {
    "nl": _("Dutch"),
    "fr": _("French"),
    "en": _("English"),
    "de": _("German"),
    "ar": _("Arabic"),
    "tr": _("Turkish"),
    "uk": _("Ukrainian"),
    "ru": _("Russian"),
    "es": _("Spanish"),
    "it": _("Italian"),
    "pl": _("Polish"),
    "ro": _("Romanian"),
}


# For the OpenAPI schema: one enum name for every field that takes a spoken language.
SPOKEN_LANGUAGE_CODES = list(SPOKEN_LANGUAGES)


def current_language() -> str:
    """The active interface language as a short code: 'nl', 'fr' or 'en'."""
    code = (translation.get_language() or "nl")[:2]
    return code if code in Language.values else Language.NL


def default_citizen_language(municipality) -> str:
    """The language a new citizen is addressed in until they say otherwise: their municipality's,
    never the screen language of the staff member who happens to type them in."""
    code = getattr(municipality, "default_language", None)
    return code if code in Language.values else Language.NL


def written_language(spoken: str, fallback: str) -> str:
    """The language a text for the citizen (slip, SMS) is written in: the spoken language of the
    appointment when the service writes it (nl, fr, en), else `fallback` (the citizen's)."""
    return spoken if spoken in Language.values else fallback
