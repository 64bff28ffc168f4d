"""One screen to add a staff member: name, email and role make the account, its author
profile and a set-password email at once. Editors and superusers may use it.

The emailed link is Django's password-reset token (it works once, and for
PASSWORD_RESET_TIMEOUT), so no password is ever chosen for someone else or sent by email.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.views import PasswordResetConfirmView
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify

from articles.models import Author
from articles.roles import AUTHORS, EDITORS
from articles.services import article_is_editor

User = get_user_model()


def may_add_staff(user) -> bool:
    return article_is_editor(user)


class StaffForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="As it appears in bylines.")
    email = forms.EmailField(help_text="The set-password link goes here.")
    role = forms.ChoiceField(
        choices=[
            (AUTHORS, "Author: writes and edits their own articles"),
            (EDITORS, "Editor: runs the desk"),
        ],
        initial=AUTHORS,
        widget=forms.RadioSelect,
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if existing := User.objects.filter(email__iexact=email).first():
            raise forms.ValidationError(
                f"{email} already belongs to the account “{existing.get_username()}”. "
                "Edit that account instead, or use another address."
            )
        return email


def _unique_username(email: str) -> str:
    base = slugify(email.split("@")[0])[:140] or "staff"
    username, number = base, 2
    while User.objects.filter(username__iexact=username).exists():
        username, number = f"{base}-{number}", number + 1
    return username


@transaction.atomic
def staff_member_add(data: dict, *, set_password_url) -> User:
    """The account (no usable password yet), its group, its author profile and, once the
    transaction commits, the email with the link to choose a password."""
    first, _, last = data["name"].partition(" ")
    user = User(
        username=_unique_username(data["email"]),
        email=data["email"],
        first_name=first[:150],
        last_name=last[:150],
        is_staff=True,
    )
    user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get(name=data["role"]))
    Author.objects.create(user=user, name=data["name"])
    link = set_password_url(user)
    transaction.on_commit(lambda: _send_welcome(user, data["role"], link))
    return user


def _send_welcome(user, role: str, link: str):
    context = {"user": user, "role": role.rstrip("s").lower(), "link": link}
    send_mail(
        "Your Newsroom desk account",
        render_to_string("admin/staff/welcome_email.txt", context),
        None,
        [user.email],
    )


def add_staff_view(request, *, admin_site):
    if not may_add_staff(request.user):
        raise PermissionDenied("Only editors add staff members.")
    form = StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def set_password_url(user):
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            token = default_token_generator.make_token(user)
            route = reverse("admin:staff_set_password", args=[uid, token])
            return request.build_absolute_uri(route)

        user = staff_member_add(form.cleaned_data, set_password_url=set_password_url)
        messages.success(
            request,
            f"{form.cleaned_data['name']} can sign in as “{user.get_username()}” once they "
            f"have chosen a password with the link just emailed to {user.email}.",
        )
        return redirect("admin:staff_add")
    context = {
        **admin_site.each_context(request),
        "title": "Add a staff member",
        "form": form,
    }
    return TemplateResponse(request, "admin/staff/add.html", context)


class StaffSetPasswordView(PasswordResetConfirmView):
    """The emailed link: choose a password, then sign in."""

    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("admin:login")
    extra_context = {"site_header": "Newsroom desk", "site_title": "Newsroom desk"}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            f"Your password is set. Sign in as “{form.user.get_username()}”.",
        )
        return response


def urls(admin_site):
    return [
        path(
            "staff/add/",
            admin_site.admin_view(lambda request: add_staff_view(request, admin_site=admin_site)),
            name="staff_add",
        ),
        path(
            "staff/welcome/<uidb64>/<token>/",
            StaffSetPasswordView.as_view(),
            name="staff_set_password",
        ),
    ]
