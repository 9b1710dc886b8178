from django import template

from helpdesk.languages import SPOKEN_LANGUAGES

register = template.Library()


@register.filter
def language_names(codes) -> str:
    """["nl", "fr"] → "Dutch, French" in the active language (codes mean little when read aloud).
    A single code works too."""
    if isinstance(codes, str):
        codes = [codes]
    return ", ".join(str(SPOKEN_LANGUAGES.get(code, code)) for code in codes or [])


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
