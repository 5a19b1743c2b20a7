"""What the page shell shows around a candidate's pages: company, sim date, navigation."""
from __future__ import annotations

from sqlalchemy import select

from sim.company.models import Company
from sim.workspace.models import Workspace

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
    from sim.clock import sim_date
    from sim.inbox.service import unread_statement
    from sim.projects.service import late_statement

    company = uow.session.scalar(select(Company))
    workspace = uow.session.get(Workspace, uow.workspace_id)
    # the unread messages and the late tasks (the menu's counts) in one statement
    unread, late = uow.session.execute(select(unread_statement().scalar_subquery(),
                                              late_statement(sim_date(uow)).scalar_subquery())).one()
    return {"company": company, "workspace": workspace, "nav": CANDIDATE_NAV, "active": active,
            "unread": unread or 0, "nav_counts": {"projects": late or 0}, "fresh": 0}


def staff_shell(active: str) -> dict:
    # no "workspace" key: a staff page about one workspace passes its own
    return {"nav": STAFF_NAV, "active": active}
