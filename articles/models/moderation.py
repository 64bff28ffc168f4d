"""What editors use to keep comments civil: blocklist, bans, reader reports, reply emails."""

import ipaddress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone


def validate_ip_range(value: str):
    try:
        ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        raise ValidationError(
            "Enter an IP address or a range such as 203.0.113.0/24 or 2001:db8::/32."
        ) from None


def _unmapped(address):
    """An IPv4 client as seen by a server bound to [::] (::ffff:a.b.c.d) is a.b.c.d."""
    return address.ipv4_mapped or address if address.version == 6 else address


def ip_in_range(ip: str | None, network: str) -> bool:
    """Whether `ip` falls in `network`. A single IPv6 address stands for its /64: a home or a
    server gets a whole /64 and can send from any address in it."""
    if not ip or not network:
        return False
    try:
        address = _unmapped(ipaddress.ip_address(ip))
        text = network.strip()
        if "/" not in text:
            single = _unmapped(ipaddress.ip_address(text))
            text = f"{single}/64" if single.version == 6 else str(single)
        return address in ipaddress.ip_network(text, strict=False)
    except ValueError:
        return False


class BlocklistEntry(models.Model):
    """A word, address, domain or IP range whose comments go straight to spam."""

    class Kind(models.TextChoices):
        WORD = "word", "Word or phrase (name, website or text)"
        EMAIL = "email", "Email address"
        DOMAIN = "domain", "Email or website domain"
        IP_RANGE = "ip_range", "IP address or range"

    kind = models.CharField(max_length=20, choices=Kind)
    value = models.CharField(max_length=200)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "blocklist entries"
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="blocklist_unique_entry"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    def clean(self):
        self.value = self.value.strip().lower()
        if self.kind == self.Kind.IP_RANGE:
            validate_ip_range(self.value)
        if self.kind == self.Kind.DOMAIN:
            self.value = self.value.lstrip("@")


class BanQuerySet(models.QuerySet):
    def active(self):
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))


class Ban(models.Model):
    """A commenter banned by email address or IP range, for a reason, maybe until a date."""

    email = models.EmailField(blank=True)
    ip_range = models.CharField(
        "IP address or range", max_length=50, blank=True, validators=[validate_ip_range]
    )
    reason = models.CharField(max_length=300)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: never expires.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = BanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(ip_range=""), name="ban_has_email_or_ip"
            ),
        ]

    def __str__(self):
        return f"Ban of {self.email or self.ip_range}"

    def clean(self):
        if not self.email and not self.ip_range:
            raise ValidationError("Ban an email address, an IP range or both.")
        self.email = self.email.strip().lower()

    def matches(self, email: str, ip: str | None) -> bool:
        return bool(self.email and self.email == email.strip().lower()) or ip_in_range(
            ip, self.ip_range
        )


class Report(models.Model):
    """A reader's report of a comment; it raises the comment in the queue, hides nothing."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        ABUSE = "abuse", "Abusive or hateful"
        OFF_TOPIC = "off_topic", "Off topic"
        OTHER = "other", "Something else"

    comment = models.ForeignKey(
        "articles.Comment", on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(max_length=20, choices=Reason)
    note = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"], name="report_created_idx")]

    def __str__(self):
        return f"{self.get_reason_display()}: comment {self.comment_id}"


class ReplySubscription(models.Model):
    """'Email me replies to my comment': active once the address has been confirmed."""

    comment = models.OneToOneField(
        "articles.Comment", on_delete=models.CASCADE, related_name="subscription"
    )
    email = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["email"], name="subscription_email_idx")]

    def __str__(self):
        return f"{self.email} on comment {self.comment_id}"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None
