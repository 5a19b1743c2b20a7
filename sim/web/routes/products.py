"""Products with their stock columns."""
from __future__ import annotations

from fastapi import Depends, Request

from sim.db import UnitOfWork
from sim.stock import service as stock
from sim.web.routes import router as routes_router
from sim.accounts.models import User
from sim.web.deps import actor, candidate_or_inspector, viewing_uow
from sim.web.rendering import is_htmx, render
from sim.web.shell import shell

router = routes_router()
MAX_PAGE = 10_000  # beyond, an offset no list reaches (and no integer overflow)


@router.get("/products")
def product_list(request: Request, q: str = "", category: str = "", reorder: str = "", sort: str = "reference",
                 dir: str = "asc", page: int = 1, uow: UnitOfWork = Depends(viewing_uow)):
    filters = stock.ProductFilters(q=q[:100], category=category[:60], below_reorder=reorder == "1",
                                   sort=sort if sort in stock.SORTABLE else "reference",
                                   direction="desc" if dir == "desc" else "asc", page=min(max(1, page), MAX_PAGE))
    context = {"page": stock.list_products(uow, filters), "filters": filters,
               "categories": stock.categories(uow), **shell(uow, "products")}
    return render(request, "stock/product_list.html", context,
                  block="product_table" if is_htmx(request) else None)


@router.get("/products/{product_id}")
def product_page(request: Request, product_id: int, user: User = Depends(candidate_or_inspector),
                 uow: UnitOfWork = Depends(viewing_uow)):
    from sim.listing import read_params
    from sim.sales.models import OrderStatus
    from sim.stock.availability import position
    from sim.stock.models import PurchaseOrderStatus, StockMoveKind

    page = read_params(request.query_params, sortable=(), default_sort="").page
    pos = position(uow, product_id, page)
    if not uow.inspecting:  # the candidate checked stock and incoming: evidence (staff reading leave none)
        from sim.purchasing.service import record_position_view

        with uow.evidence():
            record_position_view(uow, actor=actor(user), pos=pos)
    return render(request, "stock/product_page.html",
                  {"pos": pos, "order_statuses": OrderStatus,
                   "purchase_statuses": PurchaseOrderStatus, "move_kinds": StockMoveKind, **shell(uow, "products")})
