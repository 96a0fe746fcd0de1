"""Write the seed catalogue into the policy tables (used by data migrations; idempotent)."""

from datetime import date
from decimal import Decimal

from policies.seed import catalogue


def _date(value):
    return None if value is None else date.fromisoformat(value)


def _decimal(value):
    return None if value is None else Decimal(value)


def seed_policies(apps) -> None:
    Jurisdiction = apps.get_model("policies", "Jurisdiction")
    PolicyDocument = apps.get_model("policies", "PolicyDocument")
    SettlementRoute = apps.get_model("policies", "SettlementRoute")
    PointsScheme = apps.get_model("policies", "PointsScheme")
    PointsIndicator = apps.get_model("policies", "PointsIndicator")
    PointsBand = apps.get_model("policies", "PointsBand")
    SubsidyProgram = apps.get_model("policies", "SubsidyProgram")
    HousingProgram = apps.get_model("policies", "HousingProgram")

    jurisdictions = {}
    for code, name, level, parent in catalogue.JURISDICTIONS:
        jurisdictions[code], _ = Jurisdiction.objects.update_or_create(
            code=code, defaults={"name": name, "level": level, "parent": jurisdictions.get(parent)}
        )

    documents = {}
    for doc in catalogue.DOCUMENTS:
        documents[doc["number"]], _ = PolicyDocument.objects.update_or_create(
            number=doc["number"],
            defaults={
                "title": doc["title"],
                "issuer": doc["issuer"],
                "issued_on": _date(doc["issued_on"]),
                "in_force_from": _date(doc["in_force_from"]),
            },
        )

    routes = {}
    for spec in catalogue.ROUTES:
        route, _ = SettlementRoute.objects.update_or_create(
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "document": documents[spec["document"]],
                "clause": spec["clause"],
                "criteria": spec["criteria"],
                "followers": spec["followers"],
                "material_checklist": spec["material_checklist"],
                "promised_working_days": spec["promised_working_days"],
                "address_options": spec["address_options"],
                "sort_order": spec["sort_order"],
                "note": spec["note"],
            },
        )
        route.jurisdictions.set([jurisdictions[code] for code in spec["scope"]])
        route.excluded_jurisdictions.set([jurisdictions[code] for code in spec["excluded"]])
        routes[spec["code"]] = route

    for spec in catalogue.POINTS_SCHEMES:
        scheme, _ = PointsScheme.objects.update_or_create(
            jurisdiction=jurisdictions[spec["jurisdiction"]],
            valid_from=_date(spec["valid_from"]),
            defaults={
                "name": spec["name"],
                "document": documents[spec["document"]],
                "clause": spec["clause"],
                "threshold": Decimal(spec["threshold"]),
            },
        )
        for ind in spec["indicators"]:
            indicator, _ = PointsIndicator.objects.update_or_create(
                scheme=scheme,
                code=ind["code"],
                defaults={
                    "name": ind["name"],
                    "source": ind["source"],
                    "max_points": _decimal(ind["max_points"]),
                    "clause": ind["clause"],
                },
            )
            for band in ind["bands"]:
                PointsBand.objects.update_or_create(
                    indicator=indicator,
                    lower=Decimal(band["lower"]),
                    defaults={
                        "upper": _decimal(band["upper"]),
                        "points": Decimal(band["points"]),
                        "points_per_unit": Decimal(band["points_per_unit"]),
                    },
                )

    programs = {}
    for spec in catalogue.SUBSIDY_PROGRAMS:
        programs[spec["code"]], _ = SubsidyProgram.objects.update_or_create(
            code=spec["code"],
            defaults={
                key: spec[key]
                for key in ("name", "clause", "amount_fen", "period", "max_periods", "beneficiary", "family",
                            "commitment_years", "conditions")
            }
            | {"document": documents[spec["document"]], "jurisdiction": jurisdictions[spec["jurisdiction"]]},
        )
        programs[spec["code"]].routes.set([routes[code] for code in spec["routes"]])
    for spec in catalogue.SUBSIDY_PROGRAMS:
        programs[spec["code"]].stacks_with.set([programs[code] for code in spec["stacks_with"]])

    for spec in catalogue.HOUSING_PROGRAMS:
        HousingProgram.objects.update_or_create(
            code=spec["code"],
            defaults={
                key: spec[key]
                for key in ("name", "clause", "offers_public_rental", "offers_rent_subsidy", "max_term_months",
                            "area_standard_sqm", "rent_subsidy_monthly_fen", "settled_first_within_tier",
                            "who_may_apply")
            }
            | {"document": documents[spec["document"]], "jurisdiction": jurisdictions[spec["jurisdiction"]]},
        )


def seed_honours(apps) -> None:
    """The honours that count for kq.honor (a table of its own since policies 0004)."""
    Honour = apps.get_model("policies", "Honour")
    PolicyDocument = apps.get_model("policies", "PolicyDocument")
    for spec in catalogue.HONOURS:
        Honour.objects.update_or_create(
            code=spec["code"],
            defaults={key: spec[key] for key in ("name", "level", "clause", "sort_order")}
            | {"document": PolicyDocument.objects.get(number=spec["document"])},
        )


HISTORY_MODELS = (
    "Jurisdiction", "PolicyDocument", "SettlementRoute", "PointsScheme", "PointsIndicator", "PointsBand",
    "SubsidyProgram", "HousingProgram",
)


def record_seed_history(apps, reason: str, models: tuple[str, ...] = HISTORY_MODELS) -> None:
    """Give every seeded row its first history entry ("+", no user), many-to-many links included,
    so that the first edit in the admin shows exactly what it changed."""
    from django.utils import timezone

    now = timezone.now()
    for name in models:
        model = apps.get_model("policies", name)
        history = apps.get_model("policies", f"Historical{name}")
        known = set(history.objects.values_list("id", flat=True))
        fields = [f.attname for f in model._meta.concrete_fields]
        objects = list(model.objects.exclude(pk__in=known))
        records = history.objects.bulk_create(
            history(
                **{field: getattr(obj, field) for field in fields},
                history_date=now,
                history_type="+",
                history_change_reason=reason,
            )
            for obj in objects
        )
        record_by_pk = {obj.pk: record for obj, record in zip(objects, records, strict=True)}
        for m2m in model._meta.many_to_many:
            through = m2m.remote_field.through
            m2m_history = apps.get_model("policies", f"Historical{name}_{m2m.name}")
            # the column pointing at this model: "<model>_id", or "from_<model>_id" on a self-relation
            source = next(
                f.attname
                for f in through._meta.concrete_fields
                if f.is_relation and f.related_model == model and not f.attname.startswith("to_")
            )
            columns = [f.attname for f in through._meta.concrete_fields]
            m2m_history.objects.bulk_create(
                m2m_history(history=record_by_pk[getattr(row, source)], **{c: getattr(row, c) for c in columns})
                for row in through.objects.filter(**{f"{source}__in": list(record_by_pk)})
            )
