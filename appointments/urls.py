from django.urls import path

from appointments import booking_views, views, walk_in_views

app_name = "appointments"

urlpatterns = [
    path("", views.counter, name="counter"),
    path("appointments/<int:pk>/slip/", booking_views.slip, name="slip"),
    path("appointments/<int:pk>/<slug:action>/", views.appointment_action, name="action"),
    path("walk-ins/", walk_in_views.walk_in_add, name="walk-in-add"),
    path("walk-ins/queue/", walk_in_views.walk_in_queue, name="walk-in-queue"),
    path("walk-ins/next/", walk_in_views.walk_in_call_next, name="walk-in-next"),
    path("walk-ins/<int:pk>/<slug:action>/", walk_in_views.walk_in_action, name="walk-in-action"),
    path("book/", booking_views.book_caller, name="book"),
    path("book/<int:citizen_pk>/", booking_views.book_need, name="book-need"),
    path("book/<int:citizen_pk>/slot/", booking_views.book_slot, name="book-slot"),
    path(
        "book/<int:citizen_pk>/appointments/<int:pk>/cancel/",
        booking_views.cancel_appointment,
        name="book-cancel",
    ),
    path("waitlist/", booking_views.waitlist_home, name="waitlist-home"),
    path("waitlist/<int:digipunt_pk>/", booking_views.waitlist_page, name="waitlist"),
]
