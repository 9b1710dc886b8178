from django.urls import path

from volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("apply/", views.apply, name="apply"),
    path("apply/thanks/", views.apply_done, name="apply-done"),
    path("availability/", views.my_availability, name="my-availability"),
    path("", views.volunteer_list, name="list"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("<int:pk>/", views.volunteer_edit, name="edit"),
    path("<int:pk>/availability/", views.volunteer_availability, name="availability"),
]
