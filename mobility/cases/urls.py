from django.urls import path

from mobility.cases import views

app_name = "cases"

urlpatterns = [
    path("cases/", views.caseload, name="caseload"),
    path("cases/register/", views.registration_desk, name="register"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("cases/<int:case_id>/plan/", views.plan_edit, name="plan_edit"),
    path("cases/<int:case_id>/plan/propose/", views.plan_propose, name="plan_propose"),
    path("cases/<int:case_id>/steps/<int:step_id>/outcome/", views.step_outcome, name="step_outcome"),
    path("cases/<int:case_id>/referrals/", views.referral_create, name="referral_create"),
    path("cases/<int:case_id>/notes/", views.note_add, name="note_add"),
    path("cases/<int:case_id>/reassign/", views.reassign, name="reassign"),
    path("cases/<int:case_id>/transfer/", views.transfer, name="transfer"),
    path("cases/<int:case_id>/family/", views.family_add, name="family_add"),
    path("cases/<int:case_id>/family/<int:member_id>/remove/", views.family_remove, name="family_remove"),
    path("cases/<int:case_id>/registration/end/", views.registration_end, name="registration_end"),
    path("cases/<int:case_id>/activation/", views.activation_renew, name="activation"),
    path("referrals/<int:referral_id>/outcome/", views.referral_outcome, name="referral_outcome"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("mobile/", views.mobile, name="mobile"),
    path("mobile/sw.js", views.mobile_service_worker, name="mobile_sw"),
    path("mobile/sync/", views.mobile_sync, name="mobile_sync"),
]
