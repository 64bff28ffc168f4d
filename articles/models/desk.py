"""The article desk's working state: autosaved form text and who has an article open."""

from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

# A lock whose tab stopped beating (closed, asleep, offline) for this long is free again.
LOCK_LAPSE = timedelta(seconds=90)


class Autosave(models.Model):
    """The text fields of one person's unsaved article form; not a revision. `article` is
    empty for an article not saved yet (one per person)."""

    article = models.ForeignKey(
        "articles.Article", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    fields = models.JSONField(default=dict)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user"],
                condition=Q(article__isnull=False),
                name="autosave_one_per_article_user",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(article__isnull=True), name="autosave_one_new_per_user"
            ),
        ]

    def __str__(self):
        return f"Autosave of {self.article or 'a new article'} by {self.user}"


class EditLockQuerySet(models.QuerySet):
    def held(self):
        """Locks whose holder's page still beats."""
        return self.filter(heartbeat_at__gt=timezone.now() - LOCK_LAPSE)

    def claim(self, article, user, *, take_over=False) -> "EditLock":
        """Take `article`'s lock if it is free, lapsed or already `user`'s (renewing it), or
        from a colleague with `take_over`; returns the lock, whoever holds it now."""
        now = timezone.now()
        with transaction.atomic():
            lock, created = self.select_for_update().get_or_create(
                article=article, defaults={"user": user, "since": now, "heartbeat_at": now}
            )
            if created:
                return lock
            if lock.user_id != user.pk and (take_over or not lock.is_held):
                lock.user, lock.since = user, now
            if lock.user_id == user.pk:
                lock.heartbeat_at = now
                lock.save()
        return lock

    def release(self, article, user) -> None:
        self.filter(article=article, user=user).delete()


class EditLock(models.Model):
    """Who has an article open in the admin; the page renews it every 30 seconds."""

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, related_name="edit_lock"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField(default=timezone.now)
    heartbeat_at = models.DateTimeField(default=timezone.now)

    objects = EditLockQuerySet.as_manager()

    def __str__(self):
        return f"{self.user} editing {self.article}"

    @property
    def is_held(self) -> bool:
        return self.heartbeat_at > timezone.now() - LOCK_LAPSE
