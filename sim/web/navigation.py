"""What every document page shows above its content: the workflow's status bar,
the documents before and after it, and its own history from the journal."""
from __future__ import annotations

from sim.journal.history import history
from sim.sales.chain import chain_of, invoice_disputed, settlement_steps, status_steps


def document_navigation(uow, kind: str, document, status: str | None = None, **known) -> dict:
    """The status bar, the chain bar and the history of a document's page; ``known``: the
    chain's documents the page has already read (``sim.sales.chain.chain_of``)."""
    status = status if status is not None else getattr(document, "status", "")
    disputed = kind == "invoice" and invoice_disputed(uow, document)
    steps = status_steps(kind, status, disputed=disputed) if kind in ("quote", "order", "delivery", "invoice") \
        else settlement_steps(document)
    return {"nav_steps": steps, "nav_links": chain_of(uow, document, **known).links(document),
            "nav_history": history(uow, document.number)}
