"""The L133-3 protest letter is printed when the protest is sent and filed by itself
in the customer's and the order's folders, as the company's other documents are."""
from __future__ import annotations

from sqlalchemy import select

from sim.documents.models import Document, FiledDocument
from sim.db import UnitOfWork
from sim.shipping.models import CarrierProtest
from sim.stock.models import Delivery
from tests.factories import last_entry
from tests.shipping.helpers import a_carrier_protest


def test_sending_the_protest_files_its_letter_in_the_order_folder(workspace):
    ws = workspace.id
    protest = a_carrier_protest(ws)
    with UnitOfWork(ws, write=False) as uow:
        protest = uow.get(CarrierProtest, protest.id)
        order_id = uow.session.get(Delivery, protest.delivery_id).order_id
        filed = uow.session.scalars(select(FiledDocument).where(FiledDocument.doc_type == "carrier_protest")).all()
        assert len(filed) == 1 and filed[0].order_id == order_id and filed[0].source == "generated"
        document = uow.session.get(Document, filed[0].document_id)
        assert document.content.startswith(b"%PDF") and document.ref_id == protest.id
    generated = last_entry(ws, "document.generated")
    assert generated.refs["carrier_protest"] == protest.number and generated.payload["document"] == "carrier_protest"
