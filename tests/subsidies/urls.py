"""The project's URLs plus the subsidies API (mounted the way hukou/urls.py is to mount it)."""

from django.urls import include, path

from hukou.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns, path("api/v1/", include("subsidies.api.urls"))]
