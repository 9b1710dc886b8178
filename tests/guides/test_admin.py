"""The admin shows coordinators their own municipality's guides only and keeps the Markdown rules."""

from guides.models import Guide
from helpdesk.models import Topic


def test_coordinators_see_only_their_guides(web, coordinator_b, guide_a, shared_b):
    page = web(coordinator_b).get("/admin/guides/guide/").content.decode()
    assert "itsme installeren" in page
    assert "Aangifte in MyMinfin" not in page  # A's guide, even if it were shared
    assert web(coordinator_b).get(f"/admin/guides/guide/{guide_a.pk}/change/").status_code == 302


def test_the_admin_refuses_html_in_markdown(web, coordinator_a, municipality_a):
    response = web(coordinator_a).post(
        "/admin/guides/guide/add/",
        {
            "municipality": municipality_a.pk,
            "title": "Via de admin",
            "topics": [Topic.objects.get(code="taxes").pk],
            "language": "nl",
            "body_markdown": '<img src=x onerror="alert(1)">',
            "status": "published",
        },
    )
    assert response.status_code == 200
    assert not Guide.objects.filter(title="Via de admin").exists()
