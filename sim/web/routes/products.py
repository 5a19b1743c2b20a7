"""Products with their stock columns."""
from __future__ import annotations

from fastapi import Depends, Request

from sim.db import UnitOfWork
from sim.stock import service as stock
from sim.web.routes import router as routes_router
from sim.web.deps import viewing_uow
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
