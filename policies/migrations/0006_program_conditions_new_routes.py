"""Subsidy programs carry conditions instead of a route list (绍柯 二(二)4–5); routes: the follower
cohabitation flag (嘉政 一); the seed catalogue's new and corrected rows reach existing databases.

The old free-text ``conditions`` becomes ``description``; the rule ``conditions``, ``starts_with`` and
``stops_with`` are filled from the seed. Every other seed row is brought to the catalogue unless a
person has edited it in the admin (then it is left as they made it); each change gets its history
entry. A fresh database, seeded by 0002 from the same catalogue, ends up identical.
"""

from django.db import migrations, models

import policies.models.programs

REASON = "policy fidelity (issue 9): seed catalogue updated from the notices"


def bring_to_seed(apps, schema_editor):
    from policies.seed import catalogue
    from policies.seed.load import record_seed_changes, seed_policies

    writer = seed_policies(apps, keep_edited=True)
    # The program rules are new: an edited program still needs them (its other fields stay as edited).
    SubsidyProgram = apps.get_model("policies", "SubsidyProgram")
    for spec in catalogue.SUBSIDY_PROGRAMS:
        program = SubsidyProgram.objects.filter(code=spec["code"], conditions=[]).first()
        if program is not None:
            program.conditions = spec["conditions"]
            program.starts_with, program.stops_with = spec["starts_with"], spec["stops_with"]
            program.save(update_fields=["conditions", "starts_with", "stops_with"])
            writer.changed.setdefault("SubsidyProgram", []).append(program)
    record_seed_changes(apps, writer, REASON)



class Migration(migrations.Migration):

    dependencies = [
        ('policies', '0005_targets_budgets_time_limits'),
    ]

    operations = [
        migrations.RenameField(model_name="subsidyprogram", old_name="conditions", new_name="description"),
        migrations.RenameField(model_name="historicalsubsidyprogram", old_name="conditions", new_name="description"),
        migrations.AddField(
            model_name='subsidyprogram',
            name='conditions',
            field=models.JSONField(default=list, help_text='A list of {"label": "中文说明", "rule": JsonLogic}; all must hold.', validators=[policies.models.programs.validate_program_conditions], verbose_name='conditions'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='historicalsubsidyprogram',
            name='conditions',
            field=models.JSONField(default=list, help_text='A list of {"label": "中文说明", "rule": JsonLogic}; all must hold.', validators=[policies.models.programs.validate_program_conditions], verbose_name='conditions'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='historicalsubsidyprogram',
            name='starts_with',
            field=models.JSONField(blank=True, default=list, help_text='Dated facts that must all have happened; in force from the latest of them.', validators=[policies.models.programs.validate_fact_kinds], verbose_name='starts with the facts'),
        ),
        migrations.AddField(
            model_name='historicalsubsidyprogram',
            name='stops_with',
            field=models.JSONField(blank=True, default=list, help_text='The first of these dated facts stops the entitlement for good.', validators=[policies.models.programs.validate_fact_kinds], verbose_name='stops with the facts'),
        ),
        migrations.AddField(
            model_name='subsidyprogram',
            name='starts_with',
            field=models.JSONField(blank=True, default=list, help_text='Dated facts that must all have happened; in force from the latest of them.', validators=[policies.models.programs.validate_fact_kinds], verbose_name='starts with the facts'),
        ),
        migrations.AddField(
            model_name='subsidyprogram',
            name='stops_with',
            field=models.JSONField(blank=True, default=list, help_text='The first of these dated facts stops the entitlement for good.', validators=[policies.models.programs.validate_fact_kinds], verbose_name='stops with the facts'),
        ),
        migrations.AddField(
            model_name='historicalsettlementroute',
            name='followers_cohabit',
            field=models.BooleanField(default=False, help_text='共同居住生活 (嘉政 一): each follower is asked, and refused if not.', verbose_name='followers must live with the applicant'),
        ),
        migrations.AddField(
            model_name='settlementroute',
            name='followers_cohabit',
            field=models.BooleanField(default=False, help_text='共同居住生活 (嘉政 一): each follower is asked, and refused if not.', verbose_name='followers must live with the applicant'),
        ),
        migrations.RemoveField(model_name='subsidyprogram', name='routes'),
        migrations.DeleteModel(name='HistoricalSubsidyProgram_routes'),
        migrations.RunPython(bring_to_seed, migrations.RunPython.noop),
    ]
