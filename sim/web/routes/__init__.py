"""Routes per business area. Every router is made by ``router()`` so that the
CSRF check is part of every route's own dependencies (and visible in the
route table the access tests walk)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import FormData

from sim.db import NotFound
from sim.parsing import read_id
from sim.web.csrf import check_csrf


def ids_in_path(request: Request) -> None:
    """An id in the URL that no row can have (``/quotes/99999999999999999999``,
    ``-1``, ``abc``) names nothing in this workspace: 404, before any query."""
    for name, value in request.path_params.items():
        if name.endswith("_id") and read_id(value) is None:
            raise NotFound(f"{name}={value[:20]}")


def router() -> APIRouter:
    return APIRouter(dependencies=[Depends(check_csrf), Depends(ids_in_path)])


async def form_data(request: Request) -> FormData:
    """The submitted form, read on the event loop so that the route itself can
    be a plain function: routes run in the thread pool, never blocking the loop
    with database work (SQLite waits for its lock there, not on the loop)."""
    return await request.form()
