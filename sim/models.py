"""Imports every table so that SQLModel.metadata is complete (Alembic, tests)."""
from sim.accounts.models import LoginAttempt, User, UserSession  # noqa: F401
from sim.billing.models import CreditNote, CreditNoteLine, Invoice, InvoiceLine  # noqa: F401
from sim.communication.models import CommunicationRequest, CommunicationSupport  # noqa: F401
from sim.company.models import Company, NumberSeries, SalesRep  # noqa: F401
from sim.dashboards.models import Dashboard, DashboardPanel  # noqa: F401
from sim.projects.models import Project, ProjectChecklistItem, ProjectCost, ProjectTask, SupplierQuote  # noqa: F401
from sim.crm.models import Claim, Contact, Customer, DeliveryAddress, Interaction, MessageAttachment  # noqa: F401
from sim.scenario.models import ScenarioEntity, ScenarioEvent  # noqa: F401
from sim.documents.models import Document, FiledDocument  # noqa: F401
from sim.exam.models import ExamSession  # noqa: F401
from sim.journal.models import JournalEntry  # noqa: F401
from sim.receivables.models import (  # noqa: F401
    CreditReport, CreditUse, InvoiceDispute, Payment, PaymentAllocation, PaymentPlan, PaymentPlanInstalment,
    PaymentPlanInvoice, RecoveryStep, Reminder, ReminderDetail,
)
from sim.sales.models import OrderLine, Quote, QuoteLine, SalesOrder  # noqa: F401
from sim.purchasing.models import GoodsReceipt, GoodsReceiptLine  # noqa: F401
from sim.stock.models import (  # noqa: F401
    Carrier, Delivery, DeliveryLine, Product, PurchaseOrder, PurchaseOrderLine, StockMove, Supplier,
)
from sim.shipping.models import CarrierProtest, CarrierRate, CarrierService, TrackingEvent  # noqa: F401
from sim.tradeshow.models import Visitor, VisitorLine  # noqa: F401
from sim.workspace.models import FormSubmission, Workspace  # noqa: F401

from sqlmodel import SQLModel

metadata = SQLModel.metadata
