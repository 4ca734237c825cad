"""Forms of the forums pages; the rules they protect live in services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Decision


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeLocalInput(),
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DateTimeLocalInput(),
                                  input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")


class DuplicateForm(forms.Form):
    starts_at = MeetingForm.base_fields["starts_at"]
    ends_at = MeetingForm.base_fields["ends_at"]


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Topic"), max_length=250)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    standing = forms.BooleanField(label=_("Standing item (copied to the next meeting)"), required=False)


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Discussion summary"), widget=forms.Textarea(attrs={"rows": 4}),
                              required=False)


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=Decision.Outcome.choices, widget=forms.RadioSelect)
    conditions = forms.CharField(label=_("Conditions"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class WalkInForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    organization_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    position = forms.CharField(label=_("Position"), max_length=150, required=False)


class InviteeForm(WalkInForm):
    email = forms.EmailField(label=_("E-mail address"), required=False)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))


class AmendForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the amendment"), widget=forms.Textarea(attrs={"rows": 2}))
