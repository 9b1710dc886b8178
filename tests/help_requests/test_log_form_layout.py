"""The log form on a phone (issue 17, item 10): the result first, as large radio buttons; the
optional questions folded in a <details> that opens when one of them has an error."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_result_comes_first_and_the_optional_questions_are_folded(web, staff_a, digipunt_a):
    page = web(staff_a).get("/help/log/").content.decode()
    form = page[page.index('<form method="post" class="stacked-form log-form"') :]
    assert form.index('name="outcome"') < form.index('name="topics"')
    assert 'class="field choice-buttons"' in form
    assert 'type="radio" name="outcome"' in form
    folded = form[form.index("<details") : form.index("</details>")]
    for name in ("age_band", "first_visit", "referred_to", "follow_up_on", "note"):
        assert f'name="{name}"' in folded
    for name in ("outcome", "topics", "duration_minutes", "date"):
        assert f'name="{name}"' not in folded
    assert '<details class="optional-fields">' in form  # closed


def test_an_error_in_a_folded_field_opens_the_fold(web, staff_a, digipunt_a):
    page = web(staff_a).post("/help/log/", {"note": "x" * 301}).content.decode()
    assert '<details class="optional-fields" open>' in page
