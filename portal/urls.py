from django.urls import path

from portal.views import accounts, cases, home, ratings, selfcheck, visits

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    # accounts
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/signup/verify/", accounts.signup_verify, name="signup_verify"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts.LogoutView.as_view(), name="logout"),
    path("accounts/profile/", accounts.profile, name="profile"),
    path("accounts/password-reset/", accounts.password_reset, name="password_reset"),
    path("accounts/password-reset/verify/", accounts.password_reset_verify, name="password_reset_verify"),
    path("accounts/password-reset/done/", accounts.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    # self-check and filing
    path("check/", selfcheck.check, name="check"),
    path("check/result/", selfcheck.check_result, name="check_result"),
    path("apply/<str:route_code>/", selfcheck.apply, name="apply"),
    # my cases
    path("cases/", cases.cases, name="cases"),
    path("cases/<str:case_number>/", cases.case, name="case"),
    path("cases/<str:case_number>/family/", cases.family_add, name="family_add"),
    path("cases/<str:case_number>/family/<int:member_id>/remove/", cases.family_remove, name="family_remove"),
    path("cases/<str:case_number>/materials/", cases.material_upload, name="material_upload"),
    path("cases/<str:case_number>/materials/<int:material_id>/remove/", cases.material_delete,
         name="material_remove"),
    path("cases/<str:case_number>/submit/", cases.submit, name="submit"),
    path("cases/<str:case_number>/resubmit/", cases.resubmit, name="resubmit"),
    path("cases/<str:case_number>/withdraw/", cases.withdraw, name="withdraw"),
    path("cases/<str:case_number>/visit/", visits.visit, name="visit"),
    path("cases/<str:case_number>/rate/", ratings.rate, name="rate"),
]
