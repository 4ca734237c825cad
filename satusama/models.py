"""Cross-cutting plumbing tables."""

from django.db import models


class PendingTask(models.Model):
    """A background task that could not reach the broker (Redis down); re-sent by `flush_pending_tasks`.

    It holds only a task name and plain keyword arguments (ids), never tenant data.
    """

    name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.name} {self.kwargs}"
