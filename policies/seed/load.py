"""Write the seed catalogue into the policy tables (used by data migrations; idempotent)."""

from datetime import date
from decimal import Decimal

from policies.seed import catalogue


def _date(value):
    return None if value is None else date.fromisoformat(value)


def _decimal(value):
    return None if value is None else Decimal(value)


def _has(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def _columns(model, values: dict) -> dict:
    """The values this version of the model has columns for: the seed is the live module, while a
    migration runs against the model as it was at that migration (policies 0002 predates fields
    added later, which their own migration fills)."""
    names = {f.name for f in model._meta.concrete_fields}
    return {key: value for key, value in values.items() if key in names}


class _Writer:
    """update_or_create, except rows a person has edited (a history entry with a user), which are
    left as the policy admin made them; remembers what it created and changed, for their history."""

    def __init__(self, apps, keep_edited: bool):
        self.apps, self.keep_edited = apps, keep_edited
        self.created: dict[str, list] = {}
        self.changed: dict[str, list] = {}

    def _edited(self, model, pk) -> bool:
        history = self.apps.get_model("policies", f"Historical{model.__name__}")
        return history.objects.filter(id=pk, history_user__isnull=False).exists()

    def write(self, model, lookup: dict, defaults: dict):
        defaults = _columns(model, defaults)
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model.objects.create(**lookup, **defaults)
            self.created.setdefault(model.__name__, []).append(obj)
            return obj, True
        if self.keep_edited and self._edited(model, obj.pk):
            return obj, False
        differs = [key for key, value in defaults.items() if getattr(obj, key) != value]
        if differs:
            for key in differs:
                setattr(obj, key, defaults[key])
            obj.save(update_fields=differs)
            self.changed.setdefault(model.__name__, []).append(obj)
        return obj, True

    def set_m2m(self, obj, name: str, targets: list, writable: bool) -> None:
        manager = getattr(obj, name)
        if writable and {t.pk for t in targets} != set(manager.values_list("pk", flat=True)):
            manager.set(targets)
            if obj not in self.changed.get(type(obj).__name__, []) + self.created.get(type(obj).__name__, []):
                self.changed.setdefault(type(obj).__name__, []).append(obj)


def seed_policies(apps, *, keep_edited: bool = False) -> _Writer:
    """Bring the policy tables to the seed catalogue (create what is missing, update what differs);
    with ``keep_edited``, rows a person has edited in the admin are left alone."""
    writer = _Writer(apps, keep_edited)
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
        jurisdictions[code], _ = writer.write(
            Jurisdiction, {"code": code}, {"name": name, "level": level, "parent": jurisdictions.get(parent)}
        )

    documents = {}
    for doc in catalogue.DOCUMENTS:
        documents[doc["number"]], _ = writer.write(PolicyDocument, {"number": doc["number"]}, {
            "title": doc["title"],
            "issuer": doc["issuer"],
            "issued_on": _date(doc["issued_on"]),
            "in_force_from": _date(doc["in_force_from"]),
        })

    for spec in catalogue.ROUTES:
        route, writable = writer.write(SettlementRoute, {"code": spec["code"]}, {
            key: spec[key]
            for key in ("name", "clause", "criteria", "followers", "followers_cohabit", "material_checklist",
                        "promised_working_days", "address_options", "sort_order", "note")
        } | {"document": documents[spec["document"]]})
        writer.set_m2m(route, "jurisdictions", [jurisdictions[code] for code in spec["scope"]], writable)
        writer.set_m2m(route, "excluded_jurisdictions", [jurisdictions[code] for code in spec["excluded"]], writable)

    for spec in catalogue.POINTS_SCHEMES:
        where = {"jurisdiction": jurisdictions[spec["jurisdiction"]], "valid_from": _date(spec["valid_from"])}
        scheme, _ = writer.write(
            PointsScheme, where,
            {
                "name": spec["name"],
                "document": documents[spec["document"]],
                "clause": spec["clause"],
                "threshold": Decimal(spec["threshold"]),
            },
        )
        for ind in spec["indicators"]:
            indicator, _ = writer.write(PointsIndicator, {"scheme": scheme, "code": ind["code"]}, {
                "name": ind["name"],
                "source": ind["source"],
                "max_points": _decimal(ind["max_points"]),
                "clause": ind["clause"],
            })
            for band in ind["bands"]:
                writer.write(PointsBand, {"indicator": indicator, "lower": Decimal(band["lower"])}, {
                    "upper": _decimal(band["upper"]),
                    "points": Decimal(band["points"]),
                    "points_per_unit": Decimal(band["points_per_unit"]),
                })

    programs, writable = {}, {}
    with_conditions = _has(SubsidyProgram, "description")  # policies 0006: conditions became rules
    for spec in catalogue.SUBSIDY_PROGRAMS:
        values = {
            key: spec[key]
            for key in ("name", "clause", "amount_fen", "period", "max_periods", "beneficiary", "family",
                        "commitment_years", "conditions", "starts_with", "stops_with", "description")
        } | {"document": documents[spec["document"]], "jurisdiction": jurisdictions[spec["jurisdiction"]]}
        if not with_conditions:
            values["conditions"] = spec["description"]  # before 0006 the conditions were this text
        code = spec["code"]
        programs[code], writable[code] = writer.write(SubsidyProgram, {"code": code}, values)
    for spec in catalogue.SUBSIDY_PROGRAMS:
        code = spec["code"]
        writer.set_m2m(programs[code], "stacks_with", [programs[c] for c in spec["stacks_with"]], writable[code])

    for spec in catalogue.HOUSING_PROGRAMS:
        writer.write(
            HousingProgram, {"code": spec["code"]},
            {
                key: spec[key]
                for key in ("name", "clause", "offers_public_rental", "offers_rent_subsidy", "max_term_months",
                            "area_standard_sqm", "rent_subsidy_monthly_fen", "settled_first_within_tier",
                            "who_may_apply")
            }
            | {"document": documents[spec["document"]], "jurisdiction": jurisdictions[spec["jurisdiction"]]},
        )
    return writer


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


def _record_history(apps, name: str, objects: list, history_type: str, reason: str) -> None:
    """One history entry per object, many-to-many links included (simple-history does not run in
    migrations)."""
    from django.utils import timezone

    model = apps.get_model("policies", name)
    history = apps.get_model("policies", f"Historical{name}")
    fields = [f.attname for f in model._meta.concrete_fields]
    now = timezone.now()
    records = history.objects.bulk_create(
        history(
            **{field: getattr(obj, field) for field in fields},
            history_date=now,
            history_type=history_type,
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


def record_seed_history(apps, reason: str, models: tuple[str, ...] = HISTORY_MODELS) -> None:
    """Give every seeded row its first history entry ("+", no user), many-to-many links included,
    so that the first edit in the admin shows exactly what it changed."""
    for name in models:
        model = apps.get_model("policies", name)
        known = apps.get_model("policies", f"Historical{name}").objects.values_list("id", flat=True)
        _record_history(apps, name, list(model.objects.exclude(pk__in=set(known))), "+", reason)


def record_seed_changes(apps, writer: _Writer, reason: str) -> None:
    """A "~" history entry for every row a later seed migration changed, created rows a "+" one."""
    for name, objects in writer.changed.items():
        _record_history(apps, name, objects, "~", reason)
    for name, objects in writer.created.items():
        _record_history(apps, name, objects, "+", reason)
