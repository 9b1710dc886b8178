from django.urls import path

from sms import views

app_name = "sms"

urlpatterns = [
    path("inbound/", views.inbound_webhook, name="inbound"),
    path("status/", views.status_webhook, name="status"),
    path("", views.follow_up, name="follow-up"),
    path("callbacks/<int:pk>/done/", views.callback_done, name="callback-done"),
    path("undelivered/<int:pk>/done/", views.undelivered_done, name="undelivered-done"),
    path("citizens/<int:pk>/", views.citizen_thread, name="thread"),
    path("simulator/", views.simulator, name="simulator"),
]
