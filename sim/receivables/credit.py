"""What a customer holds as credit: the unapplied part of its credit notes and of its payments
(an overpayment), a rejected payment holding none. The one definition behind the credits a
candidate allocates, the balances and overdue of the customer pages, the aged balance and the
dashboards' overdue amount (a customer in credit is not overdue)."""
from __future__ import annotations

from sqlalchemy import and_, literal_column

from sim.billing.models import CreditNote
from sim.receivables.models import Payment

ZERO = literal_column("0")  # 0 in either storage: SQLite's integer cents, PostgreSQL's NUMERIC


def credit_note_holds(note=CreditNote):
    """A credit note (or an alias of the table) still holds credit."""
    return note.unapplied > ZERO


def payment_holds(payment=Payment):
    """A payment (or an alias) still holds credit: an excess not yet applied, the payment not rejected.
    ``> 0`` written as such, not as a parameter: the planners then use the partial index of the
    payments that hold one (``ix_payment_holding``: a handful among 30 000 at the large size)."""
    return and_(payment.unapplied > ZERO, payment.rejected.is_(False))
