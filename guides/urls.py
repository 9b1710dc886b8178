from django.urls import path

from guides import views

app_name = "guides"

urlpatterns = [
    path("", views.guide_list, name="list"),
    path("new/", views.guide_create, name="create"),
    path("manage/", views.manage, name="manage"),
    path("usage/", views.usage, name="usage"),
    path("signals/", views.provider_signals_page, name="signals"),
    path("signals/export.csv", views.provider_signals_export, name="signals-export"),
    path("images/<int:pk>/", views.image, name="image"),
    path("<int:pk>/", views.guide_detail, name="detail"),
    path("<int:pk>/edit/", views.guide_edit, name="edit"),
    path("<int:pk>/reviewed/", views.guide_review, name="review"),
    path("<int:pk>/copy/", views.guide_copy, name="copy"),
    path("<int:pk>/images/", views.image_upload, name="image-upload"),
]
