"""Customers: the list (search, filters, sort, pages) and the account page."""
from __future__ import annotations

from fastapi import Depends, Request

from sim.accounts.models import User
from sim.crm import service as crm
from sim.db import UnitOfWork
from sim.web.routes import router as routes_router
from sim.web.deps import actor, candidate_only, reading_uow
from sim.web.rendering import is_htmx, render
from sim.web.shell import shell

router = routes_router()
MAX_PAGE = 10_000  # beyond, an offset no list reaches (and no integer overflow)


@router.get("/customers")
def customer_list(request: Request, q: str = "", country: str = "", rep: str = "", overdue: str = "",
                  sort: str = "name", dir: str = "asc", page: int = 1,
                  uow: UnitOfWork = Depends(reading_uow)):
    filters = crm.CustomerFilters(
        q=q[:100], country=country[:2].upper(), sales_rep_id=int(rep) if rep.isdigit() else None,
        overdue_only=overdue == "1", sort=sort if sort in crm.SORTABLE else "name",
        direction="desc" if dir == "desc" else "asc", page=min(max(1, page), MAX_PAGE),
    )
    context = {"page": crm.list_customers(uow, filters), "filters": filters, **crm.filter_choices(uow),
               **shell(uow, "customers")}
    return render(request, "crm/customer_list.html", context,
                  block="customer_table" if is_htmx(request) else None)


@router.get("/customers/{customer_id}")
def customer_page(request: Request, customer_id: int, user: User = Depends(candidate_only),
                  uow: UnitOfWork = Depends(reading_uow)):
    account = crm.customer_account(uow, customer_id)  # reads: no write lock held meanwhile
    context = {"account": account, **shell(uow, "customers")}
    with uow.evidence():  # the same unit of work, one connection: a short write, then the page renders
        crm.record_account_view(uow, actor=actor(user), account=account)
    return render(request, "crm/customer_page.html", context)
