from django.urls import path

from . import views

urlpatterns = [
    path("", views.profile, name="profile"),
    path("bertindak-untuk/", views.act_for, name="profile_act_for"),
]
