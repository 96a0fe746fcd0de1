from django.urls import path

from applications.api import views

CASE = "applications/<str:case_number>/"

urlpatterns = [
    path("applicant/", views.ApplicantView.as_view(), name="api-applicant"),
    path("applications/", views.ApplicationListView.as_view(), name="api-application-list"),
    path(CASE, views.ApplicationDetailView.as_view(), name="api-application-detail"),
    path(f"{CASE}family-members/", views.FamilyMemberCreateView.as_view(), name="api-family-member-create"),
    path(f"{CASE}materials/", views.MaterialUploadView.as_view(), name="api-material-upload"),
    path(f"{CASE}submit/", views.ApplicationSubmitView.as_view(), name="api-application-submit"),
    path(f"{CASE}resubmit/", views.ApplicationResubmitView.as_view(), name="api-application-resubmit"),
    path(f"{CASE}withdraw/", views.ApplicationWithdrawView.as_view(), name="api-application-withdraw"),
    path(f"{CASE}timeline/", views.ApplicationTimelineView.as_view(), name="api-application-timeline"),
    path("materials/<int:material_id>/file/", views.MaterialFileView.as_view(), name="api-material-file"),
    path("notifications/", views.NotificationListView.as_view(), name="api-notification-list"),
    path("notifications/<int:notification_id>/read/", views.NotificationReadView.as_view(),
         name="api-notification-read"),
]
