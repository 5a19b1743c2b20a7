"""Document numbers from continuous series (one per document kind and company).

The number is taken inside the issuing transaction with an
``UPDATE … RETURNING``: concurrent issuers queue on the series row, and a
rolled-back action gives its number back, so an invoice series has no gap
(CGI ann. II art. 242 nonies A 7°, domain/payment-and-invoicing.md §6).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import update

from sim.company.models import NumberSeries
from sim.errors import SimError


def next_number(uow, code: str, on: date) -> str:
    table = NumberSeries.__table__
    row = uow.session.execute(
        update(table)
        .where(table.c.workspace_id == uow.workspace_id, table.c.code == code)
        .values(last_number=table.c.last_number + 1)
        .returning(table.c.prefix, table.c.last_number)
    ).first()
    if row is None:
        raise SimError(f"Aucune série de numérotation « {code} » pour cette entreprise.")
    prefix, number = row
    return f"{prefix}-{on.year}-{number:05d}"
