from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from mobility.accounts import twofactor_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html", success_url="done/"
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path("me/", views.me, name="me"),
    path("two-factor/", twofactor_views.two_factor, name="two_factor"),
    path("two-factor/enrol/", twofactor_views.two_factor_enrol, name="two_factor_enrol"),
    path("two-factor/verify/", twofactor_views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/recovery-codes/", twofactor_views.two_factor_codes, name="two_factor_codes"),
    path(
        "two-factor/recovery-codes/new/",
        twofactor_views.two_factor_codes_regenerate,
        name="two_factor_codes_regenerate",
    ),
    path("two-factor/remove/", twofactor_views.two_factor_remove, name="two_factor_remove"),
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_sent, name="signup_sent"),
    path("activate/", views.activate_code, name="activate_code"),
    path("activate/<uidb64>/<token>/", views.ActivateView.as_view(), name="activate"),
    path("confirm/<str:token>/", views.confirm_email, name="confirm_email"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
