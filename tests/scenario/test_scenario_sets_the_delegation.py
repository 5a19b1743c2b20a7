"""A scenario sets the candidate's delegation (company settings the order and
quote services enforce), as its briefing announces it."""
from decimal import Decimal as D

from sqlalchemy import select

from sim.company.models import Company
from sim.db import UnitOfWork
from sim.scenario.engine import install


def test_the_delegation_written_in_the_scenario_is_the_companys(make_workspace):
    workspace = make_workspace(seed=3)
    scenario = {"id": "deleg", "title": "t", "referential": "assistant-commercial", "start": "2026-11-02T08:30",
                "duration_days": 2, "briefing": "b", "timeline": [],
                "company": {"seed": 3, "delegation": {"max_discount_pct": 5, "max_credit_overrun_pct": "15.5",
                                                      "max_payment_plan_months": 6}}}
    with UnitOfWork(workspace.id) as uow:
        install(uow, scenario)
        uow.commit()
    with UnitOfWork(workspace.id, write=False) as uow:
        company = uow.session.scalars(select(Company)).one()
    assert (company.max_discount_pct, company.max_credit_overrun_pct, company.max_payment_plan_months) == (
        D("5.00"), D("15.50"), 6)


def test_the_vat_on_debits_option_written_in_the_scenario_is_the_companys(make_workspace):
    workspace = make_workspace(seed=3)
    scenario = {"id": "debits", "title": "t", "referential": "assistant-commercial", "start": "2026-11-02T08:30",
                "duration_days": 2, "briefing": "b", "timeline": [], "company": {"seed": 3, "vat_on_debits": True}}
    with UnitOfWork(workspace.id) as uow:
        install(uow, scenario)
        uow.commit()
    with UnitOfWork(workspace.id, write=False) as uow:
        assert uow.session.scalars(select(Company)).one().vat_on_debits is True
