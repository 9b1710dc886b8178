"""The error summary at the top of a form (templates/includes/form_errors.html): focusable for
helpdesk/forms.js, linking to each field, and a field's message shown once (issue 17: the phone
error appeared twice)."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape

from privacy.views import PhoneForm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_a_field_error_is_shown_once_and_the_summary_links_to_the_field(language):
    with translation.override(language):
        form = PhoneForm({"phone": "123"})
        assert not form.is_valid()
        (message,) = form.errors["phone"]
        html = render_to_string("includes/form_fields.html", {"form": form})
    assert html.count(escape(message)) == 1
    assert "+31" not in html
    assert 'href="#id_phone"' in html
    assert "data-error-summary" in html
    assert 'tabindex="-1"' in html


def test_a_radio_group_error_links_to_its_first_button(web, staff_a, digipunt_a):
    # An empty submit, every box left empty: it answers with the errors (it showed a blank form).
    page = web(staff_a).post("/help/log/", {}).content.decode()
    assert 'href="#id_outcome_0"' in page
    assert 'id="id_outcome_0"' in page


def test_the_focus_script_is_a_file_of_our_own(web, staff_a):
    page = web(staff_a).get("/").content.decode()
    assert '<script src="/static/helpdesk/forms.js" defer></script>' in page
