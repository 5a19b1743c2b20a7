"""Goods receipts (réceptions fournisseur) against purchase orders.

The purchase order itself and its lines are ``sim.stock.models.PurchaseOrder``
and ``PurchaseOrderLine`` (the seed and the scenarios write them too); a
receipt is what the warehouse counted against it on one day, line by line,
with what was refused (damaged) and the discrepancy noted.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import String, Text, UniqueConstraint
from sqlmodel import Field

from sim.db import WorkspaceOwned, quantity_field


class GoodsReceipt(WorkspaceOwned, table=True):
    __tablename__ = "goods_receipt"
    __table_args__ = (UniqueConstraint("workspace_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_type=String(30))  # <purchase order number>-R<n>
    purchase_order_id: int = Field(foreign_key="purchase_order.id", index=True)
    receipt_date: date
    supplier_note: str = Field(default="", sa_type=String(40))  # the supplier's delivery note number
    note: str = Field(default="", sa_type=Text)  # discrepancies, reserves
    recorded_by: str = Field(default="", sa_type=String(80))


class GoodsReceiptLine(WorkspaceOwned, table=True):
    __tablename__ = "goods_receipt_line"

    id: int | None = Field(default=None, primary_key=True)
    receipt_id: int = Field(foreign_key="goods_receipt.id", index=True)
    purchase_order_line_id: int = Field(foreign_key="purchase_order_line.id")
    product_id: int = Field(foreign_key="product.id")
    expected: Decimal = quantity_field()  # still to receive on the line before this receipt
    received: Decimal = quantity_field()  # counted at the dock
    refused: Decimal = quantity_field(default=Decimal("0.000"))  # damaged, not taken into stock
    discrepancy: str = Field(default="", sa_type=String(200))

    @property
    def accepted(self) -> Decimal:
        return self.received - self.refused

    @property
    def short(self) -> Decimal:
        return max(Decimal("0.000"), self.expected - self.received)
