from django.urls import path
from rest_framework.routers import DefaultRouter

from helpdesk.api import views

router = DefaultRouter()
router.register("topics", views.TopicViewSet, basename="topic")
router.register("digipunten", views.DigipuntViewSet, basename="digipunt")
router.register(r"digipunten/(?P<digipunt_pk>\d+)/closures", views.ClosureViewSet, basename="closure")
router.register("citizens", views.CitizenViewSet, basename="citizen")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    *router.urls,
]
