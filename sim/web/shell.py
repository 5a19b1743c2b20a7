"""What the page shell shows around a candidate's pages: company, sim date, navigation."""
from __future__ import annotations

from sqlalchemy import select

from sim.company.models import Company

# The business areas in the navigation; an area appears once its pages exist.
CANDIDATE_NAV = [
    ("Messagerie", [("inbox", "Messagerie", "/inbox"), ("calls", "Appels", "/calls")]),
    ("Relation client", [("customers", "Clients", "/customers"), ("claims", "Réclamations", "/claims"),
                         ("communication", "Communication", "/communication"),
                         ("projects", "Actions commerciales", "/projects"), ("stand", "Salon (stand)", "/stand")]),
    ("Ventes", [("quotes", "Devis", "/quotes"), ("orders", "Commandes", "/orders"),
                ("deliveries", "Livraisons", "/deliveries"), ("carriers", "Transporteurs", "/carriers")]),
    ("Facturation", [("invoices", "Factures", "/invoices"), ("payments", "Règlements", "/payments"),
                     ("receivables", "Recouvrement", "/receivables")]),
    ("Stocks", [("products", "Produits", "/products"), ("at-risk", "Commandes à risque", "/orders-at-risk")]),
    ("Achats", [("purchase-orders", "Commandes fournisseur", "/purchase-orders"),
                ("reorder", "Réapprovisionnement", "/reorder-proposals")]),
    ("Pilotage", [("dashboards", "Tableaux de bord", "/dashboards")]),
    ("Épreuve", [("my-workspaces", "Mes espaces", "/my-workspaces"), ("practice", "S'entraîner", "/practice")]),
]
STAFF_NAV = [
    ("Suivi", [("sessions", "Sessions d'examen", "/sessions"), ("workspaces", "Espaces candidats", "/workspaces")]),
    ("Préparation", [("scenarios", "Scénarios", "/scenarios")]),
]


def shell(uow, active: str) -> dict:
    """The company, the unread messages and the late tasks (the menu's counts) in one round trip; the
    workspace (its name, its clock) as the unit of work already holds it."""
    from sim.clock import sim_date
    from sim.company.service import remember_company
    from sim.inbox.service import unread_count, unread_statement
    from sim.projects.service import late_count, late_statement

    row = uow.session.execute(select(Company, unread_statement().scalar_subquery(),
                                     late_statement(sim_date(uow)).scalar_subquery()).limit(1)).first()
    company, unread, late = (row[0], row[1] or 0, row[2] or 0) if row is not None else (
        None, unread_count(uow), late_count(uow))
    if company is not None:
        remember_company(uow, company)
    return {"company": company, "workspace": uow.workspace_row(), "nav": CANDIDATE_NAV, "active": active,
            "unread": unread, "nav_counts": {"projects": late}, "fresh": 0}


def staff_shell(active: str) -> dict:
    # no "workspace" key: a staff page about one workspace passes its own
    return {"nav": STAFF_NAV, "active": active}
