"""Management answers a request to release a blocked order (or a payment plan, or an
escalated claim): approved, refused or approved with conditions, with a comment. Typically triggered by the request:
``when: {journal: order.approval_requested}``. The decision goes through the
same service as the trainer's (sim/sales/service.decide_approval): the order is
confirmed or goes back to blocked, and the answer lands in the candidate's inbox."""
from sqlalchemy import select

KIND = "management_decision"
TITLE = ("Décision de la direction sur une commande bloquée, un échéancier ou une réclamation transmise au-delà de "
         "la délégation (accord, refus, accord sous conditions, avec un commentaire) ; arrive dans la boîte du candidat")
PROPERTIES = {"decision": {"enum": ["approved", "refused", "approved_with_conditions"]},
              "comment": {"type": "string", "maxLength": 2000},
              "order": {"type": "string", "description": "la commande (nommée) ; sinon la dernière en attente d'accord"},
              "payment_plan": {"const": True, "description": "décide l'échéancier en attente d'accord (le dernier "
                                                             "demandé) au lieu d'une commande"},
              "claim": {"type": "string", "description": "décide la réclamation (nommée) transmise à la direction"},
              "escalated_claim": {"const": True, "description": "décide la dernière réclamation transmise à la "
                                                                "direction et sans réponse, au lieu d'une commande"}}
REQUIRED = ["decision"]
REFS = {"order": "order", "claim": "claim"}


def handle(ctx, spec):
    from sim.errors import SimError
    from sim.sales.models import OrderStatus, SalesOrder
    from sim.sales.service import decide_approval

    if spec.get("claim") or spec.get("escalated_claim"):
        from sim.crm.claims import awaiting_decision, decide

        if spec.get("claim"):
            target = ctx.entity("claim", spec["claim"])
        else:
            waiting = awaiting_decision(ctx.uow)
            if not waiting:
                raise SimError("Aucune réclamation transmise n'attend la décision de la direction.")
            target = waiting[-1][0]
        decide(ctx.uow, actor=ctx.actor, actor_role="scenario", claim_id=target.id, decision=spec["decision"],
               comment=spec.get("comment", ""), event_key=ctx.event_key)
        return
    if spec.get("payment_plan"):
        from sim.receivables.models import PaymentPlan, PaymentPlanStatus
        from sim.receivables.plans import decide_plan

        plan = ctx.uow.session.scalars(select(PaymentPlan).where(PaymentPlan.status == PaymentPlanStatus.PENDING)
                                       .order_by(PaymentPlan.id.desc())).first()
        if plan is None:
            raise SimError("Aucun échéancier en attente d'accord de la direction.")
        decide_plan(ctx.uow, actor=ctx.actor, actor_role="scenario", plan_id=plan.id, decision=spec["decision"],
                    comment=spec.get("comment", ""), event_key=ctx.event_key)
        return
    if spec.get("order"):
        order = ctx.entity("order", spec["order"])
    else:
        order = ctx.uow.session.scalars(select(SalesOrder).where(SalesOrder.status == OrderStatus.PENDING_APPROVAL)
                                        .order_by(SalesOrder.id.desc())).first()
        if order is None:
            raise SimError("Aucune commande en attente d'accord de la direction.")
    decide_approval(ctx.uow, actor=ctx.actor, actor_role="scenario", order_id=order.id, decision=spec["decision"],
                    comment=spec.get("comment", ""), event_key=ctx.event_key)
