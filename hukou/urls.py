from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from hukou.health import healthz

admin.site.site_header = "落户业务办理系统"
admin.site.site_title = "落户业务办理系统"
admin.site.index_title = "业务管理"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/v1/", include("policies.api.urls")),
    path("api/v1/", include("applications.api.urls")),
    path("api/v1/", include("subsidies.api.urls")),
    path("documents/", include("applications.documents.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("portal.urls")),
]
