"""What each URL path parameter names, for the isolation tests generated from
the route table: every ``{param}`` in a route must be listed here."""
from __future__ import annotations

from sim.tradeshow.models import Visitor
from sim.projects.models import Project
from sim.billing.models import CreditNote, Invoice
from sim.communication.models import CommunicationSupport
from sim.dashboards.models import Dashboard, DashboardPanel
from sim.crm.models import Claim, Contact, Customer, DeliveryAddress, Interaction
from sim.documents.models import Document, FiledDocument
from sim.exam.models import ExamSession
from sim.receivables.models import Payment
from sim.sales.models import Quote, SalesOrder
from sim.purchasing.models import GoodsReceipt
from sim.shipping.models import CarrierProtest
from sim.stock.models import Delivery, Product, PurchaseOrder
from sim.workspace.models import Workspace

PATH_OBJECTS = {
    "customer_id": Customer,
    "quote_id": Quote,
    "order_id": SalesOrder,
    "delivery_id": Delivery,
    "invoice_id": Invoice,
    "credit_note_id": CreditNote,
    "payment_id": Payment,
    "workspace_id": Workspace,
    "message_id": Interaction,
    "document_id": Document,
    "session_id": ExamSession,
    "key": None,  # a scenario event's key (text), looked up within the session
    "contact_id": Contact,
    "address_id": DeliveryAddress,
    "product_id": Product,
    "filed_id": FiledDocument,
    "purchase_order_id": PurchaseOrder,
    "receipt_id": GoodsReceipt,
    "support_id": CommunicationSupport,
    "protest_id": CarrierProtest,
    "dashboard_id": Dashboard,
    "panel_id": DashboardPanel,
    "claim_id": Claim,
    "call_id": Interaction,  # a phone call (sim/calls): an Interaction of channel "phone"
    "audio_id": Document,  # its voice or its recorded answer
    "visitor_id": Visitor,  # a visitor at the stand (sim/tradeshow)
    "project_id": Project,  # a commercial action project (sim/projects)
}
