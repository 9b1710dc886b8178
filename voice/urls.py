from django.urls import path

from voice import views

app_name = "voice"

urlpatterns = [
    path("inbound/", views.inbound_webhook, name="inbound"),
    path("step/<int:step>/", views.step_webhook, name="step"),
    path("status/", views.status_webhook, name="status"),
    path("simulator/", views.simulator, name="simulator"),
]
