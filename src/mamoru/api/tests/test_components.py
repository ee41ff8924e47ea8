"""The schema's components are the serializers' names: two serializers of the same name in
two apps would share one component silently (drf-spectacular keeps the first), and one
operation would then document another app's fields."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections import defaultdict

from drf_spectacular.generators import SchemaGenerator
from rest_framework.serializers import BaseSerializer

import mamoru
from mamoru.progress.services.followups import TEXT_MAX


def api_serializers() -> dict[str, set[str]]:
    """Serializer class names of every app's ``api`` package, with their modules."""
    found: dict[str, set[str]] = defaultdict(set)
    for module in pkgutil.walk_packages(mamoru.__path__, "mamoru."):
        if ".api" not in module.name or ".tests" in module.name:
            continue
        for name, cls in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            if issubclass(cls, BaseSerializer) and cls.__module__.startswith("mamoru."):
                found[name].add(cls.__module__)
    return found


def test_no_two_serializers_share_a_component_name() -> None:
    found = api_serializers()
    assert "ProgressCampaignOut" in found  # the walk reached the apps
    assert {name: modules for name, modules in found.items() if len(modules) > 1} == {}


def test_the_answer_to_a_follow_up_is_documented_as_long_as_the_service_keeps() -> None:
    schema = SchemaGenerator().get_schema(public=True)  # type: ignore[no-untyped-call]
    operation = schema["paths"]["/api/v1/progress/follow-ups/{id}/answer/"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][body.rsplit("/", 1)[1]]
    assert component["properties"]["answer"]["maxLength"] == TEXT_MAX
