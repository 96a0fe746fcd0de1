from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.index, name="index"),
    path("export/<slug:chart_id>.xlsx", views.export, name="export"),
    path("refresh", views.refresh, name="refresh"),
]
