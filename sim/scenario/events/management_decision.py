"""Management answers a request to release a blocked order: approved, refused or
approved with conditions, with a comment. Typically triggered by the request:
``when: {journal: order.approval_requested}``. The decision goes through the
same service as the trainer's (sim/sales/service.decide_approval): the order is
confirmed or goes back to blocked, and the answer lands in the candidate's inbox."""
from sqlalchemy import select

KIND = "management_decision"
TITLE = ("Décision de la direction sur une commande bloquée (accord, refus, accord sous conditions, "
         "avec un commentaire) ; arrive dans la boîte du candidat et sur la commande")
PROPERTIES = {"decision": {"enum": ["approved", "refused", "approved_with_conditions"]},
              "comment": {"type": "string", "maxLength": 2000},
              "order": {"type": "string", "description": "la commande (nommée) ; sinon la dernière en attente d'accord"}}
REQUIRED = ["decision"]
REFS = {"order": "order"}


def handle(ctx, spec):
    from sim.errors import SimError
    from sim.sales.models import OrderStatus, SalesOrder
    from sim.sales.service import decide_approval

    if spec.get("order"):
        order = ctx.entity("order", spec["order"])
    else:
        order = ctx.uow.session.scalars(select(SalesOrder).where(SalesOrder.status == OrderStatus.PENDING_APPROVAL)
                                        .order_by(SalesOrder.id.desc())).first()
        if order is None:
            raise SimError("Aucune commande en attente d'accord de la direction.")
    decide_approval(ctx.uow, actor=ctx.actor, actor_role="scenario", order_id=order.id, decision=spec["decision"],
                    comment=spec.get("comment", ""), event_key=ctx.event_key)
