"""Strings Django itself marks for translation but its own Dutch catalogue lacks (Django 6.1).

Listed here so that makemessages puts them in our catalogue, which takes precedence.
"""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = [
    gettext_noop("- Select an option -"),
]
