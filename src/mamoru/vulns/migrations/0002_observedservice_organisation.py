"""``ObservedService.organisation_id`` (a plain integer until the attack-surface models
landed) becomes a foreign key to ``orgs.Organisation``; rows of organisations that do not
exist are dropped (nothing could show them)."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def copy_organisations(apps: Any, schema_editor: Any) -> None:
    observed = apps.get_model("vulns", "ObservedService")
    organisation = apps.get_model("orgs", "Organisation")
    known = set(organisation.objects.values_list("pk", flat=True))
    for row in observed.objects.all().only("pk", "organisation_ref"):
        if row.organisation_ref in known:
            observed.objects.filter(pk=row.pk).update(organisation_id=row.organisation_ref)
        else:
            observed.objects.filter(pk=row.pk).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
        ("vulns", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="observedservice", name="vulns_observed_service_unique"
        ),
        migrations.RemoveIndex(model_name="observedservice", name="vulns_observed_org"),
        migrations.RenameField(
            model_name="observedservice", old_name="organisation_id", new_name="organisation_ref"
        ),
        migrations.AddField(
            model_name="observedservice",
            name="organisation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="observed_services",
                to="orgs.organisation",
            ),
        ),
        migrations.RunPython(copy_organisations, migrations.RunPython.noop),
        migrations.RemoveField(model_name="observedservice", name="organisation_ref"),
        migrations.AlterField(
            model_name="observedservice",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="observed_services",
                to="orgs.organisation",
            ),
        ),
        migrations.AddConstraint(
            model_name="observedservice",
            constraint=models.UniqueConstraint(
                fields=("organisation", "ip", "port", "transport"),
                name="vulns_observed_service_unique",
            ),
        ),
    ]
