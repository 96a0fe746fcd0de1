"""Mounted under /api/v1/ by hukou/urls.py: path("api/v1/", include("subsidies.api.urls"))."""

from django.urls import path

from subsidies.api import views

urlpatterns = [
    path("subsidies/facts/", views.FactEventListView.as_view(), name="api-subsidy-fact-list"),
    path("subsidies/facts/search/", views.FactEventSearchView.as_view(), name="api-subsidy-fact-search"),
    path("subsidies/facts/<int:event_id>/revoke/", views.FactEventRevokeView.as_view(), name="api-subsidy-fact-revoke"),
    path("subsidies/entitlements/", views.EntitlementListView.as_view(), name="api-subsidy-entitlement-list"),
    path("subsidies/entitlements/search/", views.EntitlementSearchView.as_view(),
         name="api-subsidy-entitlement-search"),
    path("subsidies/runs/<int:run_id>/", views.PaymentRunDetailView.as_view(), name="api-subsidy-run-detail"),
]
