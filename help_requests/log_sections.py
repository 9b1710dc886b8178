"""Extra sections of the log-help form, added by apps above help_requests (guides asks which
guide was used). Registered from their AppConfig.ready(), so this app imports none of them.

A section is an object with:
- `template`: the template that renders it (it gets the section's form as `section_form`);
- `form(request, *, appointment, ticket)`: its form, or None when it has nothing to ask;
- `save(form, help_request)`: called in the help request's transaction once everything is valid.
"""

SECTIONS: list = []


def register(section) -> None:
    if section not in SECTIONS:
        SECTIONS.append(section)


def forms_for(request, *, appointment=None, ticket=None) -> list[tuple]:
    """(section, form) for each section that has something to ask here."""
    found = [(section, section.form(request, appointment=appointment, ticket=ticket)) for section in SECTIONS]
    return [(section, form) for section, form in found if form is not None]
