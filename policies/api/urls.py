from django.urls import path

from policies.api.views import EligibilityView

urlpatterns = [
    path("eligibility/", EligibilityView.as_view(), name="eligibility"),
]
