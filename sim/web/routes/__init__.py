"""Routes per business area. Every router is made by ``router()`` so that the
CSRF check is part of every route's own dependencies (and visible in the
route table the access tests walk)."""
from __future__ import annotations

from fastapi import APIRouter, Depends

from sim.web.csrf import check_csrf


def router() -> APIRouter:
    return APIRouter(dependencies=[Depends(check_csrf)])
