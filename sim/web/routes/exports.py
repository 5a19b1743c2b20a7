"""Staff downloads of a session's evaluations: the CSV (candidate × criterion) and a candidate's jury
report (PDF). Both read the final evaluation (sim/evaluation/exports.py)."""
from __future__ import annotations

from fastapi import Depends, Request
from fastapi.responses import Response

from sim.accounts.models import Role, User
from sim.db import get_engine
from sim.evaluation import exports
from sim.web.deps import requires
from sim.web.routes import router as routes_router

router = routes_router()
evaluators = requires(Role.EVALUATOR, Role.TRAINER, Role.ADMIN)


@router.get("/evaluation/sessions/{session_id}/export.csv")
def evaluation_csv(request: Request, session_id: int, user: User = Depends(evaluators)):
    export = exports.collect(get_engine(), session_id)
    # BOM: Excel opens UTF-8 with its accents right
    return Response("\ufeff" + exports.to_csv(export), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="evaluation-{session_id}.csv"'})


@router.get("/evaluation/sessions/{session_id}/candidates/{workspace_id}/report.pdf")
def evaluation_report(request: Request, session_id: int, workspace_id: int, user: User = Depends(evaluators)):
    export = exports.collect(get_engine(), session_id, workspace_id=workspace_id)
    [candidate] = export.candidates
    return Response(exports.report_pdf(export, candidate), media_type="application/pdf",
                    headers={"Content-Disposition":
                             f'attachment; filename="{exports.report_filename(export, candidate)}"'})
