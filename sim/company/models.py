"""The simulated seller: identity, general terms of sale, the candidate's delegation."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import String, Text, UniqueConstraint, false
from sqlmodel import Field

from sim.db import WorkspaceOwned, money_field, rate_field


class Company(WorkspaceOwned, table=True):
    __table_args__ = (UniqueConstraint("workspace_id"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(160))
    legal_form: str = Field(sa_type=String(40))  # SAS, SARL, SA...
    siren: str = Field(sa_type=String(9))
    siret: str = Field(sa_type=String(14))
    vat_number: str = Field(sa_type=String(20))
    capital: Decimal = money_field()
    rcs_city: str = Field(sa_type=String(80))
    naf_code: str = Field(default="", sa_type=String(8))
    address: str = Field(sa_type=String(200))
    postcode: str = Field(sa_type=String(12))
    city: str = Field(sa_type=String(80))
    country: str = Field(default="FR", sa_type=String(2))
    phone: str = Field(default="", sa_type=String(30))
    email: str = Field(default="", sa_type=String(120))
    website: str = Field(default="", sa_type=String(120))
    # the house colours of its communication supports (its logo is drawn from them)
    brand_colour: str = Field(default="#1f4e79", sa_type=String(7), sa_column_kwargs={"server_default": "#1f4e79"})
    accent_colour: str = Field(default="#e07b00", sa_type=String(7), sa_column_kwargs={"server_default": "#e07b00"})
    iban: str = Field(sa_type=String(34))
    bic: str = Field(sa_type=String(11))
    # --- general terms of sale (CGV) ---
    payment_terms: str = Field(default="30_net", sa_type=String(16))
    # 45 days end of month: "eom_then_45" (end of month + 45 d) or "45_then_eom".
    eom_method: str = Field(default="45_then_eom", sa_type=String(16))
    penalty_rate: Decimal = rate_field()  # annual %, e.g. 12.15
    recovery_indemnity: Decimal = money_field()  # 40.00 € (D441-5)
    early_payment_discount: str = Field(default="Pas d'escompte pour paiement anticipé", sa_type=String(200))
    terms_text: str = Field(default="", sa_type=Text)
    # "Option pour le paiement de la taxe d'après les débits" (décret 2022-1299): printed when opted
    vat_on_debits: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # --- the candidate's delegation levels ---
    max_discount_pct: Decimal = rate_field()
    max_credit_overrun_pct: Decimal = rate_field()
    # a commercial gesture (credit note by amount) up to this % of the invoice excl. VAT
    max_gesture_pct: Decimal = rate_field(default=Decimal("5.00"))
    max_payment_plan_months: int = 3


class SalesRep(WorkspaceOwned, table=True):
    """A salesperson of the company, to whom customers are assigned."""

    __tablename__ = "sales_rep"

    id: int | None = Field(default=None, primary_key=True)
    first_name: str = Field(sa_type=String(60))
    last_name: str = Field(sa_type=String(60))
    email: str = Field(sa_type=String(120))
    phone: str = Field(default="", sa_type=String(30))
    region: str = Field(default="", sa_type=String(60))

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class NumberSeries(WorkspaceOwned, table=True):
    """A continuous numbering series (devis, commandes, factures...).

    French invoices need one unbroken chronological series (CGI ann. II
    art. 242 nonies A 7°): the next number is taken from this row in the
    issuing transaction, so a rolled-back action leaves no gap.
    """

    __tablename__ = "number_series"
    __table_args__ = (UniqueConstraint("workspace_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_type=String(20))  # quote, order, delivery, invoice, credit_note, purchase_order
    prefix: str = Field(sa_type=String(10))  # e.g. "FA"
    last_number: int = 0
