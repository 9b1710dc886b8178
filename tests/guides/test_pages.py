"""Guide pages: search on a phone, links from appointments, feedback while logging help, the
owners' review flags, copying, the network's usage and the service-provider signals."""

import datetime

import pytest

from guides import services
from guides.models import Guide, GuideFeedback, GuideUse
from help_requests import services as help_requests
from help_requests.models import HelpRequest
from helpdesk.models import Topic
from tests.factories import AppointmentFactory, VolunteerFactory
from tests.guides.factories import GuideFactory

EN = {"Accept-Language": "en"}


@pytest.fixture
def taxes(db):
    return Topic.objects.get(code="taxes")


@pytest.fixture
def volunteer(municipality_a, digipunt_a):
    return VolunteerFactory(municipality=municipality_a, digipunten=[digipunt_a], languages=["nl", "fr"])


@pytest.fixture
def todays_appointment(digipunt_a, volunteer, taxes, frozen_now):
    start = frozen_now.replace(hour=10, minute=0)
    return AppointmentFactory(
        digipunt=digipunt_a,
        topic=taxes,
        volunteer=volunteer,
        citizen__municipality=digipunt_a.municipality,
        language="fr",
        start=start,
        end=start + datetime.timedelta(minutes=45),
    )


class TestSearch:
    def test_finds_by_words_topic_and_language(self, web, volunteer_a, municipality_a, shared_b):
        GuideFactory(municipality=municipality_a, title="Aangifte in MyMinfin", body_markdown="Tax-on-web")
        GuideFactory(municipality=municipality_a, title="Déclaration MyMinfin", language="fr")
        client = web(volunteer_a)
        page = client.get("/guides/", {"q": "tax-on-web"}).content.decode()
        assert "Aangifte in MyMinfin" in page
        assert "Déclaration" not in page
        page = client.get("/guides/", {"topic": "taxes", "language": "fr"}).content.decode()
        assert "Déclaration MyMinfin" in page
        assert "Aangifte in MyMinfin" not in page
        page = client.get("/guides/", {"topic": "banking"}).content.decode()
        assert "itsme installeren" in page
        assert "Gemeente B" in page

    def test_bad_filters_are_ignored_with_the_form_saying_so(self, web, volunteer_a, guide_a):
        response = web(volunteer_a).get("/guides/", {"topic": "nonsense", "q": "x" * 500}, headers=EN)
        assert response.status_code == 200
        assert "Please correct the following" in response.content.decode()

    def test_only_people_with_a_role_search(self, web, django_user_model):
        assert web(django_user_model.objects.create_user("nobody")).get("/guides/").status_code == 404

    def test_the_menu_links_the_guides(self, web, volunteer_a):
        assert 'href="/guides/"' in web(volunteer_a).get("/").content.decode()


class TestAppointmentLinks:
    def test_the_schedule_links_the_topic_guides_in_the_citizens_language(
        self, web, volunteer, municipality_a, todays_appointment
    ):
        french = GuideFactory(municipality=municipality_a, title="Déclaration d'impôts", language="fr")
        GuideFactory(municipality=municipality_a, title="Aangifte", language="nl")
        GuideFactory(municipality=municipality_a, title="Brouillon", language="fr", status=Guide.Status.DRAFT)
        GuideFactory(municipality=municipality_a, title="itsme", language="fr", topics=["banking"])
        page = web(volunteer.user).get("/volunteers/schedule/").content.decode()
        assert f"/guides/{french.pk}/?appointment={todays_appointment.pk}" in page
        assert "Aangifte" not in page
        assert "Brouillon" not in page
        assert "itsme" not in page

    def test_without_a_guide_in_that_language_the_others_show(
        self, web, volunteer, municipality_a, todays_appointment
    ):
        dutch = GuideFactory(municipality=municipality_a, title="Aangifte", language="nl")
        page = web(volunteer.user).get("/volunteers/schedule/").content.decode()
        assert f"/guides/{dutch.pk}/?appointment={todays_appointment.pk}" in page

    def test_the_counter_links_them_too(self, web, staff_a, municipality_a, todays_appointment, shared_b):
        french = GuideFactory(municipality=municipality_a, title="Déclaration", language="fr")
        page = web(staff_a).get("/counter/", {"date": "2026-11-26"}).content.decode()
        assert f"/guides/{french.pk}/?appointment={todays_appointment.pk}" in page

    def test_the_counter_shows_no_unshared_guide_of_another_municipality(
        self, web, outsider, municipality_a, municipality_b, digipunt_b, taxes, frozen_now
    ):
        GuideFactory(municipality=municipality_a, title="Geheim van A", language="nl")
        AppointmentFactory(digipunt=digipunt_b, topic=taxes, start=frozen_now.replace(hour=10, minute=0))
        page = web(outsider).get("/counter/", {"date": "2026-11-26"}).content.decode()
        assert "Geheim van A" not in page

    def test_the_guide_page_offers_to_log_the_help_of_that_appointment(
        self, web, volunteer, municipality_a, todays_appointment
    ):
        guide = GuideFactory(municipality=municipality_a, title="Déclaration", language="fr")
        page = (
            web(volunteer.user)
            .get(f"/guides/{guide.pk}/?appointment={todays_appointment.pk}")
            .content.decode()
        )
        assert f"/help/log/?appointment={todays_appointment.pk}&amp;guide={guide.pk}" in page

    def test_another_persons_appointment_is_not_offered(
        self, web, volunteer_a, municipality_a, todays_appointment
    ):
        guide = GuideFactory(municipality=municipality_a)
        page = (
            web(volunteer_a).get(f"/guides/{guide.pk}/?appointment={todays_appointment.pk}").content.decode()
        )
        assert "/help/log/" not in page.split("<main")[1]


class TestFeedbackWhileLoggingHelp:
    def post(self, client, appointment, **data):
        values = {
            "topics": [appointment.topic.pk],
            "outcome": "solved",
            "duration_minutes": 40,
            "first_visit": "true",
        }
        values.update(data)
        return client.post(f"/help/log/?appointment={appointment.pk}&next=/volunteers/schedule/", values)

    def test_the_volunteer_marks_the_guide_helpful(self, web, volunteer, municipality_a, todays_appointment):
        guide = GuideFactory(municipality=municipality_a, title="Déclaration", language="fr")
        client = web(volunteer.user)
        form = client.get(f"/help/log/?appointment={todays_appointment.pk}&guide={guide.pk}").content.decode()
        assert f'<option value="{guide.pk}" selected>Déclaration</option>' in form
        response = self.post(
            client, todays_appointment, **{"guide-guide": guide.pk, "guide-verdict": "helped"}
        )
        assert response.status_code == 302
        feedback = GuideFeedback.objects.get()
        assert feedback.guide == guide
        assert feedback.verdict == "helped"
        assert feedback.help_request == HelpRequest.objects.get()
        assert feedback.municipality == municipality_a

    def test_a_guide_without_a_verdict_is_asked_again(
        self, web, volunteer, municipality_a, todays_appointment
    ):
        guide = GuideFactory(municipality=municipality_a)
        response = self.post(web(volunteer.user), todays_appointment, **{"guide-guide": guide.pk}, headers=EN)
        assert response.status_code == 200
        assert "Say whether the guide helped or is outdated." in response.content.decode()
        assert not HelpRequest.objects.exists()

    def test_no_guide_is_fine(self, web, volunteer, municipality_a, todays_appointment):
        GuideFactory(municipality=municipality_a)
        assert self.post(web(volunteer.user), todays_appointment).status_code == 302
        assert HelpRequest.objects.exists()
        assert not GuideFeedback.objects.exists()

    def test_an_invisible_guide_cannot_be_chosen(self, web, volunteer, municipality_b, todays_appointment):
        secret = GuideFactory(municipality=municipality_b, title="Van B")
        shared = GuideFactory(municipality=municipality_b, title="Gedeeld", shared=True)
        client = web(volunteer.user)
        response = self.post(
            client, todays_appointment, **{"guide-guide": secret.pk, "guide-verdict": "helped"}
        )
        assert response.status_code == 200
        assert not HelpRequest.objects.exists()
        response = self.post(
            client, todays_appointment, **{"guide-guide": shared.pk, "guide-verdict": "outdated"}
        )
        assert response.status_code == 302
        assert GuideFeedback.objects.get().verdict == "outdated"

    def test_owners_see_the_feedback_per_guide(
        self, web, staff_a, volunteer, municipality_a, todays_appointment
    ):
        guide = GuideFactory(municipality=municipality_a, title="Déclaration", language="fr")
        self.post(
            web(volunteer.user), todays_appointment, **{"guide-guide": guide.pk, "guide-verdict": "outdated"}
        )
        page = web(staff_a).get("/guides/manage/", headers=EN).content.decode()
        row = page.split("Déclaration</a>")[1].split("</tr>")[0]
        assert "<strong>1</strong>" in row  # said to be outdated once
        assert web(staff_a).get(f"/guides/{guide.pk}/").context["figures"].said_outdated == 1


class TestOwners:
    def test_guides_past_the_review_age_are_flagged(self, web, staff_a, municipality_a, settings):
        settings.GUIDE_REVIEW_MONTHS = 6
        old = GuideFactory(municipality=municipality_a, title="Oud", reviewed_on=datetime.date(2026, 5, 26))
        GuideFactory(municipality=municipality_a, title="Recent", reviewed_on=datetime.date(2026, 5, 27))
        GuideFactory(municipality=municipality_a, title="Nooit", reviewed_on=None)
        response = web(staff_a).get("/guides/manage/", headers=EN)
        assert response.context["due_count"] == 2
        assert "2 guides need a review." in response.content.decode()
        assert "Review due" in web(staff_a).get(f"/guides/{old.pk}/", headers=EN).content.decode()
        web(staff_a).post(f"/guides/{old.pk}/reviewed/")
        old.refresh_from_db()
        assert old.reviewed_on == datetime.date(2026, 11, 26)
        assert old.reviewed_by == staff_a
        assert web(staff_a).get("/guides/manage/").context["due_count"] == 1

    def test_the_review_age_is_a_setting(self, municipality_a, settings):
        guide = GuideFactory(municipality=municipality_a, reviewed_on=datetime.date(2026, 8, 1))
        settings.GUIDE_REVIEW_MONTHS = 3
        assert services.is_review_due(guide)
        settings.GUIDE_REVIEW_MONTHS = 6
        assert not services.is_review_due(guide)

    def test_marking_an_outdated_guide_reviewed_publishes_it_again(self, web, staff_a, municipality_a):
        guide = GuideFactory(municipality=municipality_a, status=Guide.Status.OUTDATED)
        web(staff_a).post(f"/guides/{guide.pk}/reviewed/")
        guide.refresh_from_db()
        assert guide.status == Guide.Status.PUBLISHED

    def test_write_a_guide_refusing_html_with_a_clear_message(self, web, staff_a, taxes):
        client = web(staff_a)
        values = {
            "title": "Aangifte",
            "topics": [taxes.pk],
            "language": "nl",
            "body_markdown": "1. Stap <script>alert(1)</script>",
            "status": "published",
        }
        response = client.post("/guides/new/", values, headers=EN)
        assert response.status_code == 200
        assert "HTML tags (such as &lt;script&gt;" in response.content.decode()
        assert not Guide.objects.exists()
        response = client.post("/guides/new/", {**values, "body_markdown": "1. Stap één"})
        guide = Guide.objects.get()
        assert response["Location"] == f"/guides/{guide.pk}/"
        assert guide.reviewed_on == datetime.date(2026, 11, 26)
        assert guide.reviewed_by == staff_a

    def test_edit_keeps_the_rules(self, web, coordinator_a, guide_a):
        values = {"title": "Nieuw", "topics": [t.pk for t in guide_a.topics.all()], "language": "nl"}
        response = web(coordinator_a).post(
            f"/guides/{guide_a.pk}/edit/",
            {**values, "body_markdown": "[x](javascript:alert(1))", "status": "published"},
        )
        assert response.status_code == 200
        web(coordinator_a).post(
            f"/guides/{guide_a.pk}/edit/", {**values, "body_markdown": "Goed", "status": "outdated"}
        )
        guide_a.refresh_from_db()
        assert (guide_a.title, guide_a.status) == ("Nieuw", "outdated")

    def test_volunteers_do_not_write_guides(self, web, volunteer_a, guide_a):
        assert web(volunteer_a).get("/guides/new/").status_code == 403
        assert web(volunteer_a).get(f"/guides/{guide_a.pk}/edit/").status_code == 404
        assert web(volunteer_a).get("/guides/manage/").status_code == 403

    def test_another_municipality_copies_a_shared_guide_to_adapt(self, web, outsider, coordinator_a, guide_a):
        guide_a.shared = True
        guide_a.save()
        response = web(outsider).post(f"/guides/{guide_a.pk}/copy/")
        copy = Guide.objects.get(copied_from=guide_a)
        assert response["Location"] == f"/guides/{copy.pk}/edit/"
        assert copy.municipality.name == "Gemeente B"
        assert copy.status == Guide.Status.DRAFT
        assert not copy.shared
        assert list(copy.topics.all()) == list(guide_a.topics.all())
        assert web(coordinator_a).get(f"/guides/{copy.pk}/").status_code == 404  # B's draft
        assert web(coordinator_a).get(f"/guides/{guide_a.pk}/").context["figures"].copy_count == 1


class TestNetworkUsage:
    def test_the_network_admin_sees_the_most_used_guides(
        self, web, network_admin, staff_a, outsider, guide_a, shared_b
    ):
        for _ in range(3):
            web(outsider).get(f"/guides/{shared_b.pk}/")
        web(staff_a).get(f"/guides/{shared_b.pk}/")
        web(staff_a).get(f"/guides/{guide_a.pk}/")
        assert GuideUse.objects.get(guide=shared_b, municipality__name="Gemeente B").views == 3
        response = web(network_admin).get("/guides/usage/")
        ranked = list(response.context["guides"])
        assert ranked[0] == shared_b
        assert (ranked[0].views, ranked[0].used_by) == (4, 2)
        assert ranked[1] == guide_a
        assert ranked[1].views == 1

    def test_only_the_network_admin(self, web, coordinator_a):
        assert web(coordinator_a).get("/guides/usage/").status_code == 403


class TestProviderSignals:
    @pytest.fixture
    def logged(self, digipunt_a, digipunt_b, taxes):
        eid = Topic.objects.get(code="eid")
        day = datetime.date(2026, 11, 2)
        for outcome, topics, place, referred in [
            ("not_solved", [taxes], digipunt_a, ""),
            ("not_solved", [taxes, eid], digipunt_a, ""),
            ("referred", [taxes], digipunt_a, "tax_office"),
            ("solved", [taxes], digipunt_a, ""),
            ("not_solved", [eid], digipunt_b, ""),
        ]:
            help_requests.log(
                digipunt=place,
                topics=topics,
                channel="counter",
                duration_minutes=30,
                outcome=outcome,
                date=day,
                referred_to=referred,
                note="Wachtwoord 1234",
            )

    def test_a_coordinator_sees_per_topic_counts_of_own_municipality(self, web, coordinator_a, logged):
        rows = web(coordinator_a).get("/guides/signals/").context["rows"]
        figures = {row["topic"].code: (row["total"], row["not_solved"], row["referred"]) for row in rows}
        assert figures == {"taxes": (4, 2, 1), "eid": (1, 1, 0)}  # B's eid help is not counted

    def test_the_export_is_anonymous(self, web, coordinator_a, logged):
        response = web(coordinator_a).get("/guides/signals/export.csv", headers=EN)
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        lines = text.strip().splitlines()
        assert lines[0] == "month;topic;outcome;referred to;channel"
        assert sorted(lines[1:]) == sorted(
            [
                "2026-11;eid;not_solved;;counter",
                "2026-11;taxes;not_solved;;counter",
                "2026-11;taxes;not_solved;;counter",
                "2026-11;taxes;referred;tax_office;counter",
            ]
        )
        assert "1234" not in text
        assert "Bibliotheek" not in text

    def test_a_bad_period_is_said_not_raised(self, web, coordinator_a, logged):
        response = web(coordinator_a).get(
            "/guides/signals/", {"date_from": "2026-12-01", "date_to": "2026-01-01"}
        )
        assert response.status_code == 200
        assert response.context["form"].errors

    def test_staff_and_volunteers_do_not_see_it(self, web, staff_a, volunteer_a):
        assert web(staff_a).get("/guides/signals/").status_code == 403
        assert web(volunteer_a).get("/guides/signals/export.csv").status_code == 403

    def test_the_outsiders_coordinator_sees_only_b(self, web, coordinator_b, logged):
        rows = web(coordinator_b).get("/guides/signals/").context["rows"]
        assert [(row["topic"].code, row["not_solved"]) for row in rows] == [("eid", 1)]
        response = web(coordinator_b).get(f"/guides/signals/?municipality={coordinator_b.pk + 999}")
        assert response.status_code == 200
        assert [row["topic"].code for row in response.context["rows"]] == ["eid"]


class TestPhoneHelp:
    def test_without_a_visit_the_own_guides_and_the_one_followed_are_offered(
        self, web, staff_a, municipality_a, digipunt_a, shared_b, taxes
    ):
        own = GuideFactory(municipality=municipality_a, title="Eigen handleiding")
        client = web(staff_a)
        form = client.get("/help/log/").context["sections"][0]["form"]
        assert list(form.fields["guide"].queryset) == [own]
        form = client.get(f"/help/log/?guide={shared_b.pk}").context["sections"][0]["form"]
        assert set(form.fields["guide"].queryset) == {own, shared_b}
        assert form.initial["guide"] == shared_b.pk
        values = {
            "digipunt": digipunt_a.pk,
            "topics": [taxes.pk],
            "outcome": "solved",
            "duration_minutes": 20,
            "channel": "phone",
            "date": "2026-11-26",
            "first_visit": "unknown",
            "guide-guide": shared_b.pk,
            "guide-verdict": "helped",
        }
        assert client.post(f"/help/log/?guide={shared_b.pk}", values).status_code == 302
        assert GuideFeedback.objects.get().guide == shared_b

    def test_the_search_page_tells_owners_what_needs_a_review(
        self, web, staff_a, volunteer_a, municipality_a
    ):
        GuideFactory(municipality=municipality_a, reviewed_on=None)
        assert (
            "1 guide of your municipality needs a review."
            in web(staff_a).get("/guides/", headers=EN).content.decode()
        )
        assert "needs a review" not in web(volunteer_a).get("/guides/", headers=EN).content.decode()
