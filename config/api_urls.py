from django.urls import path
from rest_framework.routers import DefaultRouter

from appointments.api import views as appointment_api
from conversations.api import CallbackViewSet
from guides.api import GuideViewSet
from help_requests import api as help_request_api
from helpdesk.api import views
from privacy.api import CitizenViewSet
from sms.api import SmsMessagesView
from volunteers import api as volunteer_api

router = DefaultRouter()
router.register("topics", views.TopicViewSet, basename="topic")
router.register("help-requests", help_request_api.HelpRequestViewSet, basename="help-request")
router.register("digipunten", views.DigipuntViewSet, basename="digipunt")
router.register("guides", GuideViewSet, basename="guide")
router.register(r"digipunten/(?P<digipunt_pk>\d+)/closures", views.ClosureViewSet, basename="closure")
router.register("citizens", CitizenViewSet, basename="citizen")
router.register("callbacks", CallbackViewSet, basename="callback")
router.register("appointments", appointment_api.AppointmentViewSet, basename="appointment")
router.register("volunteers", volunteer_api.VolunteerViewSet, basename="volunteer")
router.register(
    r"volunteers/(?P<volunteer_pk>\d+)/availability",
    volunteer_api.AvailabilityViewSet,
    basename="availability",
)
router.register(
    r"volunteers/(?P<volunteer_pk>\d+)/absences", volunteer_api.AbsenceViewSet, basename="absence"
)

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("slots/", appointment_api.SlotsView.as_view(), name="api-slots"),
    path("sms/messages/", SmsMessagesView.as_view(), name="api-sms-messages"),
    path("stats/", help_request_api.StatsView.as_view(), name="api-stats"),
    path("stats/network/", help_request_api.NetworkStatsView.as_view(), name="api-stats-network"),
    *router.urls,
]
