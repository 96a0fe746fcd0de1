"""Cache invalidation only: any change to a table the engine compiles drops the compiled catalogue
here at once and, when the transaction commits, tells the other processes (a new shared version)."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from policies.eligibility.catalogue import catalogue_bump_shared_version, catalogue_invalidate_local
from policies.models import (
    Honour,
    Jurisdiction,
    PointsBand,
    PointsIndicator,
    PointsScheme,
    PolicyDocument,
    SettlementRoute,
    SubsidyProgram,
)

ENGINE_MODELS = (
    Jurisdiction, PolicyDocument, SettlementRoute, PointsScheme, PointsIndicator, PointsBand, Honour, SubsidyProgram,
)
ENGINE_M2M = (SettlementRoute.jurisdictions.through, SettlementRoute.excluded_jurisdictions.through)


def _policy_changed(**kwargs) -> None:
    catalogue_invalidate_local()
    transaction.on_commit(catalogue_bump_shared_version)


for model in ENGINE_MODELS:
    receiver(post_save, sender=model, dispatch_uid=f"policies-save-{model.__name__}")(_policy_changed)
    receiver(post_delete, sender=model, dispatch_uid=f"policies-delete-{model.__name__}")(_policy_changed)
for through in ENGINE_M2M:
    receiver(m2m_changed, sender=through, dispatch_uid=f"policies-m2m-{through.__name__}")(_policy_changed)
