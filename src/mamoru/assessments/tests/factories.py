"""Factories of the assessments app's tests: the records only the services can write
(campaigns with their targets and counts, submissions with their scores) are built by
``mamoru.assessments.testing``; these make the plain ones."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from mamoru.assessments.models import FollowUpNote

__all__ = ["FollowUpNoteFactory"]


class FollowUpNoteFactory(DjangoModelFactory):
    class Meta:
        model = FollowUpNote

    text = factory.Sequence(lambda n: f"フォローアップの記録 {n}")
