"""Candidate-script actions: customer claims and phone calls (CP3)."""
from __future__ import annotations

from sqlalchemy import select

from sim.scenario.actions import ACTOR
from sim.scenario.actions._fields import TEXT


def _claim(ctx, spec):
    return ctx.entity("claim", spec["claim"])


def analyse_claim(uow, ctx, spec):
    from sim.crm.claims import analyse

    analyse(uow, actor=ACTOR, claim_id=_claim(ctx, spec).id, analysis=spec["analysis"])


def propose_solution(uow, ctx, spec):
    from sim.crm.claims import propose_solution as service

    service(uow, actor=ACTOR, claim_id=_claim(ctx, spec).id, solution=spec["solution"], note=spec["note"],
            amount=str(spec.get("amount", "")), pct=str(spec.get("pct", "")))


def escalate_claim(uow, ctx, spec):
    from sim.crm.claims import escalate

    escalate(uow, actor=ACTOR, claim_id=_claim(ctx, spec).id, message=spec["message"])


def alert_colleague(uow, ctx, spec):
    from sim.crm.claims import alert_colleague as service

    service(uow, actor=ACTOR, claim_id=_claim(ctx, spec).id, colleague=spec["colleague"], message=spec["message"])


def claim_answer(uow, ctx, spec):
    from sim.crm.claims import record_answer

    record_answer(uow, actor=ACTOR, claim_id=_claim(ctx, spec).id, accepted=spec["accepted"],
                  note=spec.get("note", ""))


def close_claim(uow, ctx, spec):
    from sim.crm.claims import close

    close(uow, actor=ACTOR, claim_id=_claim(ctx, spec).id, resolution=spec["resolution"])


def answer_call(uow, ctx, spec):
    """The answer to the call a ``phone_call`` event made: ``say`` is recorded (read by espeak-ng in the
    call's language, as a candidate's voice would be), or ``summary`` is typed (no microphone)."""
    from sim.calls.service import answer
    from sim.calls.voice import synthesise, wav_seconds
    from sim.crm.models import Interaction

    call = uow.session.scalars(select(Interaction).where(
        Interaction.event_key == spec["call"], Interaction.channel == "phone",
        Interaction.direction == "in")).first()
    if call is None:
        raise LookupError(f"aucun appel de l'événement « {spec['call']} »")
    if spec.get("say"):
        voice = synthesise(spec["say"], call.language)
        answer(uow, actor=ACTOR, call_id=call.id, mode="recording", recording=voice, mime="audio/wav",
               duration_s=max(wav_seconds(voice), 1), summary=spec.get("summary", ""))
    else:
        answer(uow, actor=ACTOR, call_id=call.id, mode="summary", summary=spec["summary"])


FIELDS = {
    "analyse_claim": ({"claim": {"type": "string"}, "analysis": {**TEXT, "maxLength": 4000}}, ["claim", "analysis"]),
    "propose_solution": ({"claim": {"type": "string"},
                          "solution": {"enum": ["credit_note", "discount", "replacement", "free_shipping", "return"]},
                          "amount": {"type": ["number", "string"]}, "pct": {"type": ["number", "string"]},
                          "note": {**TEXT, "maxLength": 4000}}, ["claim", "solution", "note"]),
    "escalate_claim": ({"claim": {"type": "string"}, "message": {**TEXT, "maxLength": 4000}}, ["claim", "message"]),
    "alert_colleague": ({"claim": {"type": "string"},
                         "colleague": {"enum": ["logistics", "accounting", "quality", "sales_rep"]},
                         "message": {**TEXT, "maxLength": 4000}}, ["claim", "colleague", "message"]),
    "claim_answer": ({"claim": {"type": "string"}, "accepted": {"type": "boolean"},
                      "note": {"type": "string", "maxLength": 4000}}, ["claim", "accepted"]),
    "close_claim": ({"claim": {"type": "string"}, "resolution": {**TEXT, "maxLength": 4000}}, ["claim", "resolution"]),
    "answer_call": ({"call": {"type": "string", "description": "l'identifiant de l'événement phone_call"},
                     "say": {**TEXT, "maxLength": 4000}, "summary": {**TEXT, "maxLength": 4000}},
                    ["call"]),
}
ACTIONS = (analyse_claim, propose_solution, escalate_claim, alert_colleague, claim_answer, close_claim,
           answer_call)
