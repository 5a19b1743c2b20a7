"""How a purchasing event finds its purchase order: by the scenario's name for
it (``purchase_order``: one of the company's, or one a candidate script named),
or ``supplier``: that supplier's latest open purchase order — the one the
candidate created and sent, when the event waits for it with
``when: {journal: purchase_order.sent, supplier: …}``."""
from __future__ import annotations

PURCHASE_ORDER = {"purchase_order": {"type": "string", "description": "nom d'une commande fournisseur du scénario"},
                  "supplier": {"type": "string",
                               "description": "ou : la dernière commande ouverte envoyée à ce fournisseur"}}


def purchase_order(ctx, spec):
    from sqlalchemy import select

    from sim.stock.models import OPEN_PURCHASE_STATUSES, PurchaseOrder

    if spec.get("purchase_order"):
        return ctx.entity("purchase_order", spec["purchase_order"])
    if not spec.get("supplier"):
        raise LookupError("nommez la commande fournisseur (purchase_order) ou son fournisseur (supplier)")
    supplier = ctx.entity("supplier", spec["supplier"])
    po = ctx.uow.session.scalars(select(PurchaseOrder).where(
        PurchaseOrder.supplier_id == supplier.id,
        PurchaseOrder.status.in_(OPEN_PURCHASE_STATUSES))
        .order_by(PurchaseOrder.order_date.desc(), PurchaseOrder.id.desc())).first()
    if po is None:
        raise LookupError(f"aucune commande ouverte chez le fournisseur « {spec['supplier']} »")
    return po
