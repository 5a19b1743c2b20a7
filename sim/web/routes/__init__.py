"""Routes per business area. Every router is made by ``router()`` so that the
CSRF check is part of every route's own dependencies (and visible in the
route table the access tests walk)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import FormData

from sim.web.csrf import check_csrf


def router() -> APIRouter:
    return APIRouter(dependencies=[Depends(check_csrf)])


async def form_data(request: Request) -> FormData:
    """The submitted form, read on the event loop so that the route itself can
    be a plain function: routes run in the thread pool, never blocking the loop
    with database work (SQLite waits for its lock there, not on the loop)."""
    return await request.form()
