"""The simulated company's settings that change during a scenario."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from sim.company.models import Company
from sim.journal import service as journal

DELEGATION_FIELDS = ("max_discount_pct", "max_credit_overrun_pct", "max_payment_plan_months", "max_gesture_pct")


def _memo_key(uow) -> tuple:
    return ("company", uow.session.info.get("workspace_id"))  # a session may go on to seed another workspace


def company_of(uow) -> Company:
    """The workspace's company, read once a unit of work: the mapped object itself, so a change
    made in the same unit of work shows on it (a page that quotes it in several places asks once)."""
    company = uow.session.info.get(_memo_key(uow))
    if company is None:
        company = remember_company(uow, uow.session.scalars(select(Company)).one())
    return company


def remember_company(uow, company: Company) -> Company:
    """``company`` read by some other statement (the shell's): what ``company_of`` answers from then on."""
    return uow.session.info.setdefault(_memo_key(uow), company)


def set_delegation(uow, *, actor: str, **levels) -> Company:
    """Set the candidate's delegation (discount, credit overrun, payment plan
    length, commercial gesture by credit note), journaled ``company.delegation_set`` with the levels in force."""
    unknown = set(levels) - set(DELEGATION_FIELDS)
    if unknown:
        raise ValueError(f"unknown delegation levels: {sorted(unknown)}")
    company = uow.session.scalars(select(Company)).one()
    for key, value in levels.items():
        setattr(company, key, int(value) if key == "max_payment_plan_months"
                else Decimal(str(value)).quantize(Decimal("0.01")))
    journal.append(uow, kind="company.delegation_set", actor=actor,
                   payload={key: getattr(company, key) for key in DELEGATION_FIELDS})
    return company


def set_vat_on_debits(uow, *, actor: str, opted: bool) -> Company:
    """The company has opted (or not) to pay VAT on debits (the invoice date)
    rather than on receipts for its services: its invoices then say so
    (sim/billing/einvoice.py), journaled ``company.vat_on_debits_set``."""
    company = uow.session.scalars(select(Company)).one()
    company.vat_on_debits = bool(opted)
    journal.append(uow, kind="company.vat_on_debits_set", actor=actor, payload={"opted": company.vat_on_debits})
    return company
