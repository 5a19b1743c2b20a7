"""Invoices and credit notes are also issued as Factur-X (EN 16931 profile): a
PDF/A-3 with the CII XML embedded, whose XML passes the profile's XSD and the
official EN 16931 schematron run by Saxon-HE (domain/payment-and-invoicing.md §5).

A French invoice (two VAT rates, a line discount, a global discount, the
buyer's PO, the VAT-on-debits option), an intra-EU supply to Germany, an export
to Switzerland, a credit note on returned goods, a commercial gesture by
amount and a consumer's invoice, all checked in one Saxon run; a broken copy
of the French XML is reported with the rules it breaks, so a failing rule does
fail here."""
from __future__ import annotations

import re
import secrets
from datetime import date
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from lxml import etree
from sqlalchemy import select

from sim.billing import facturx_check
from sim.billing.facturx import NSMAP
from sim.billing.models import InvoiceLine
from sim.billing.service import invoice_delivery, issue_credit_note, issue_credit_note_by_amount
from sim.crm.models import Customer
from sim.db import UnitOfWork
from sim.documents.service import prepare_facturx, print_facturx
from sim.sales.service import LineInput, confirm_order, create_order
from tests.documents import normalised, pdf_flow, pdf_layout
from tests.factories import ACTOR, make_product, set_company
from tests.money_helpers import shipped


def _customer(ws, **values) -> Customer:
    with UnitOfWork(ws) as uow:
        customer = Customer(workspace_id=ws, **{"kind": "b2b", "payment_terms": "30_net",
                                                "credit_limit": D("90000.00"), "created_on": date(2026, 1, 5),
                                                **values})
        uow.session.add(customer)
        uow.commit()
        return customer


def _invoice(ws, customer, lines, *, po="", global_discount="0"):
    with UnitOfWork(ws) as uow:
        order = create_order(uow, actor=ACTOR, customer_id=customer.id, customer_po=po,
                             global_discount_pct=global_discount,
                             lines=[LineInput(p.id, str(q), str(d)) for p, q, d in lines])
        uow.commit()
    with UnitOfWork(ws) as uow:
        order = confirm_order(uow, actor=ACTOR, order_id=order.id)
        uow.commit()
    delivery = shipped(ws, order)
    with UnitOfWork(ws) as uow:
        invoice = invoice_delivery(uow, actor=ACTOR, delivery_id=delivery.id)
        uow.commit()
    return invoice


def _penalty_invoice(ws, customer):
    """The late penalties and the 40 € indemnity on an invoice paid 21 days late: no VAT (out of scope, O)."""
    from sim.receivables.recovery import issue_penalty_invoice
    from sim.receivables.service import record_payment
    from tests.receivables import an_invoice, at

    set_company(ws, penalty_rate=D("12.15"))
    at(ws, date(2026, 11, 5))
    late = an_invoice(ws, customer, "4800.00", issued=date(2026, 9, 15), due=date(2026, 10, 15))
    with UnitOfWork(ws) as uow:
        record_payment(uow, actor=ACTOR, customer_id=customer.id, method="transfer", amount="2000.00",
                       allocations={late.id: "2000.00"})
        uow.commit()
    at(ws, date(2026, 11, 20))
    with UnitOfWork(ws) as uow:
        penalty = issue_penalty_invoice(uow, actor=ACTOR, customer_id=customer.id, invoice_ids=[late.id])
        uow.commit()
    return penalty


@pytest.fixture(scope="module")
def issued():
    from seed.company import SMALL
    from sim.workspace.service import create_workspace

    with UnitOfWork() as uow:
        ws = create_workspace(uow, name=f"facturx-{secrets.token_hex(3)}", owner_id=None, seed=5, size=SMALL).id
        uow.commit()
    set_company(ws, vat_on_debits=True)
    french = _customer(ws, code="FX0001", name="Quincaillerie Morel SAS", legal_form="SAS", siren="732829320",
                       siret="73282932000074", vat_number="FR44732829320", address="8 rue des Forges",
                       postcode="42000", city="Saint-Étienne", country="FR", email="compta@morel.example")
    german = _customer(ws, code="FX0002", name="Kistenbau Köhler GmbH", vat_number="DE136695976",
                       address="Hafenstraße 12", postcode="20457", city="Hamburg", country="DE", language="en")
    swiss = _customer(ws, code="FX0003", name="Emballages Léman SA", address="Rue du Rhône 40", postcode="1204",
                      city="Genève", country="CH")
    consumer = _customer(ws, code="FX0004", kind="b2c", name="Julie Martin", address="3 impasse des Lilas",
                         postcode="35000", city="Rennes", country="FR")
    boxes = make_product(ws, price="12.40", vat="20.00", stock="500", name="Caisse américaine 400×300×300")
    books = make_product(ws, price="19.90", vat="5.50", stock="500", name="Guide de l'emballage")
    # 7 boxes at 12.40 −5 % = 82.46 (20 %), 3 guides at 19.90 = 59.70 (5.5 %), then −2 % overall
    fr_invoice = _invoice(ws, french, [(boxes, 7, 5), (books, 3, 0)], po="PO-MOR-2211", global_discount="2")
    de_invoice = _invoice(ws, german, [(boxes, 40, 0)], po="KK-4471")
    ch_invoice = _invoice(ws, swiss, [(boxes, 15, 10)])
    with UnitOfWork(ws, write=False) as uow:
        box_line = uow.session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == fr_invoice.id)
                                       .order_by(InvoiceLine.position)).first()
    with UnitOfWork(ws) as uow:
        note = issue_credit_note(uow, actor=ACTOR, invoice_id=fr_invoice.id, quantities={box_line.id: "2"},
                                 reason="Deux caisses écrasées à la livraison")
        uow.commit()
    with UnitOfWork(ws) as uow:  # a commercial gesture: a line without a product
        gesture = issue_credit_note_by_amount(uow, actor=ACTOR, invoice_id=de_invoice.id, amount="20.00",
                                              reason="Retard de livraison")
        uow.commit()
    b2c_invoice = _invoice(ws, consumer, [(books, 1, 0)])
    penalty = _penalty_invoice(ws, french)
    prepared, pdfs = {}, {}
    with UnitOfWork(ws, write=False) as uow:
        for name, kind, ref_id in [("french", "invoice", fr_invoice.id), ("intra_eu", "invoice", de_invoice.id),
                                   ("export", "invoice", ch_invoice.id), ("credit_note", "credit_note", note.id),
                                   ("gesture", "credit_note", gesture.id), ("consumer", "invoice", b2c_invoice.id),
                                   ("penalty", "invoice", penalty.id)]:
            prepared[name] = prepare_facturx(uow, kind, ref_id)
    for name, p in prepared.items():
        pdfs[name] = print_facturx(p)
    return SimpleNamespace(ws=ws, french=french, german=german, swiss=swiss, fr_invoice=fr_invoice,
                           de_invoice=de_invoice, ch_invoice=ch_invoice, note=note, prepared=prepared, pdfs=pdfs)


def _broken(xml: bytes) -> bytes:
    """The French XML with three business errors: a wrong grand total (BR-CO-15),
    no buyer name (BR-07), a VAT amount that is not base × rate (BR-S-09)."""
    root = etree.fromstring(xml)
    total = root.find(".//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:GrandTotalAmount", NSMAP)
    total.text = str(D(total.text) + D("10.00"))
    buyer_name = root.find(".//ram:BuyerTradeParty/ram:Name", NSMAP)
    buyer_name.getparent().remove(buyer_name)
    vat = root.find(".//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CalculatedAmount", NSMAP)
    vat.text = str(D(vat.text) + D("5.00"))  # BR-S-09 tolerates 1 unit either way
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@pytest.fixture(scope="module")
def reports(issued):
    """Every file's embedded XML, and the broken one, through the XSD and the
    schematron: one Saxon (JVM) run for all of them."""
    files = {name: facturx_check.xml_of(pdf) for name, pdf in issued.pdfs.items()}
    files["broken"] = _broken(files["french"])
    return {r.name: r for r in facturx_check.check(files)}


@pytest.mark.parametrize("name", ["french", "intra_eu", "export", "credit_note", "gesture", "consumer", "penalty"])
def test_the_factur_x_xml_passes_the_xsd_and_every_en16931_rule(reports, name):
    report = reports[name]
    assert report.xsd_errors == [], report.summary()
    assert report.errors == [], report.summary()
    assert report.rules_fired > 50, "the schematron checked (almost) nothing: " + report.summary()


def test_a_broken_xml_is_reported_with_the_rules_it_breaks(reports):
    report = reports["broken"]
    assert not report.valid
    broken = {f.rule for f in report.errors}
    assert {"BR-CO-15", "BR-07", "BR-S-09"} <= broken, report.summary()


def test_an_xml_that_does_not_fit_the_profile_schema_is_refused():
    xml = b'<rsm:CrossIndustryInvoice xmlns:rsm="' + NSMAP["rsm"].encode() + b'"><rsm:Nothing/></rsm:CrossIndustryInvoice>'
    assert facturx_check.xsd_errors(xml)


def test_the_embedded_xml_is_the_one_built_and_says_en16931(issued):
    for name, pdf in issued.pdfs.items():
        xml = facturx_check.xml_of(pdf)
        assert xml == issued.prepared[name].xml
        root = etree.fromstring(xml)
        assert root.findtext(".//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID", namespaces=NSMAP) \
            == "urn:cen.eu:en16931:2017"


def test_the_file_is_a_pdf_a3_declaring_the_en16931_profile(issued):
    from pypdf import PdfReader
    import io

    reader = PdfReader(io.BytesIO(issued.pdfs["french"]))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfaid:part(>|=\")3", xmp) and re.search(r"pdfaid:conformance(>|=\")B", xmp)
    assert re.search(r"fx:ConformanceLevel(>|=\")EN 16931", xmp)
    assert re.search(r"fx:DocumentFileName(>|=\")factur-x.xml", xmp)
    names = reader.trailer["/Root"]["/Names"]["/EmbeddedFiles"]["/Names"]
    assert "factur-x.xml" in names
    spec = names[names.index("factur-x.xml") + 1].get_object()
    assert spec["/AFRelationship"] == "/Data"
    assert "/OutputIntents" in reader.trailer["/Root"]  # PDF/A: an sRGB output intent


def _xml(issued, name):
    return etree.fromstring(issued.prepared[name].xml)


def test_the_french_invoice_carries_its_figures_and_the_new_mentions(issued):
    root, invoice = _xml(issued, "french"), issued.fr_invoice
    # 82.46 × 0.98 = 80.8108 → 80.81, VAT 16.162 → 16.16; 59.70 × 0.98 = 58.506 → 58.51, VAT 3.218 → 3.22
    assert (invoice.total_ht, invoice.total_vat, invoice.total_ttc) == (D("139.32"), D("19.38"), D("158.70"))
    money = ".//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:"
    assert root.findtext(money + "LineTotalAmount", namespaces=NSMAP) == "142.16"
    assert root.findtext(money + "AllowanceTotalAmount", namespaces=NSMAP) == "2.84"  # 1.65 + 1.19
    assert root.findtext(money + "TaxBasisTotalAmount", namespaces=NSMAP) == "139.32"
    assert root.findtext(money + "TaxTotalAmount", namespaces=NSMAP) == "19.38"
    assert root.findtext(money + "GrandTotalAmount", namespaces=NSMAP) == "158.70"
    taxes = [(t.findtext("ram:RateApplicablePercent", namespaces=NSMAP), t.findtext("ram:BasisAmount", namespaces=NSMAP),
              t.findtext("ram:CalculatedAmount", namespaces=NSMAP), t.findtext("ram:CategoryCode", namespaces=NSMAP),
              t.findtext("ram:DueDateTypeCode", namespaces=NSMAP))
             for t in root.findall(".//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax", NSMAP)]
    # the VAT-on-debits option: BT-8 = 5 (VAT due on the invoice date)
    assert taxes == [("5.5", "58.51", "3.22", "S", "5"), ("20", "80.81", "16.16", "S", "5")]
    # the line discount as a line allowance: 7 × 12.40 = 86.80 − 82.46 = 4.34
    first_line = root.find(".//ram:IncludedSupplyChainTradeLineItem", NSMAP)
    assert first_line.findtext(".//ram:SpecifiedTradeAllowanceCharge/ram:ActualAmount", namespaces=NSMAP) == "4.34"
    assert first_line.findtext(".//ram:LineTotalAmount", namespaces=NSMAP) == "82.46"
    # the customer's SIREN, the delivery address, the nature (B1: goods), the option, the PO
    assert root.findtext(".//ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID", namespaces=NSMAP) == "732829320"
    assert root.find(".//ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID", NSMAP).get("schemeID") == "0002"
    ship_to = root.find(".//ram:ShipToTradeParty", NSMAP)
    assert ship_to.findtext(".//ram:LineOne", namespaces=NSMAP) == "8 rue des Forges"
    assert ship_to.findtext(".//ram:CountryID", namespaces=NSMAP) == "FR"
    assert root.findtext(".//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID", namespaces=NSMAP) == "B1"
    notes = {n.findtext("ram:Content", namespaces=NSMAP) for n in root.findall(".//ram:IncludedNote", NSMAP)}
    assert "Nature de l'opération : Livraison de biens" in notes
    assert "Option pour le paiement de la taxe d'après les débits" in notes
    assert any(n.startswith("Pénalités de retard : taux annuel de 12.15 %") for n in notes)
    assert any("40 €" in n for n in notes)
    assert root.findtext(".//ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID", namespaces=NSMAP) == "PO-MOR-2211"
    assert root.findtext(".//ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString",
                         namespaces=NSMAP) == invoice.due_date.strftime("%Y%m%d")


def test_an_intra_eu_supply_is_category_k_with_both_vat_numbers(issued):
    root = _xml(issued, "intra_eu")
    tax = root.find(".//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax", NSMAP)
    assert tax.findtext("ram:CategoryCode", namespaces=NSMAP) == "K"
    assert tax.findtext("ram:ExemptionReasonCode", namespaces=NSMAP) == "VATEX-EU-IC"
    assert "262 ter I" in tax.findtext("ram:ExemptionReason", namespaces=NSMAP)
    assert root.findtext(".//ram:BuyerTradeParty/ram:SpecifiedTaxRegistration/ram:ID", namespaces=NSMAP) == "DE136695976"
    assert root.findtext(".//ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID", namespaces=NSMAP).startswith("FR")
    assert root.findtext(".//ram:ShipToTradeParty//ram:CountryID", namespaces=NSMAP) == "DE"


def test_an_export_is_category_g(issued):
    root = _xml(issued, "export")
    tax = root.find(".//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax", NSMAP)
    assert (tax.findtext("ram:CategoryCode", namespaces=NSMAP), tax.findtext("ram:ExemptionReasonCode", namespaces=NSMAP),
            tax.findtext("ram:CalculatedAmount", namespaces=NSMAP)) == ("G", "VATEX-EU-G", "0.00")
    assert issued.ch_invoice.total_ttc == D("167.40")  # 15 × 12.40 − 10 %


def test_the_credit_note_refers_to_the_invoice_it_amends(issued):
    root, note, invoice = _xml(issued, "credit_note"), issued.note, issued.fr_invoice
    assert root.findtext(".//rsm:ExchangedDocument/ram:TypeCode", namespaces=NSMAP) == "381"
    reference = root.find(".//ram:InvoiceReferencedDocument", NSMAP)
    assert reference.findtext("ram:IssuerAssignedID", namespaces=NSMAP) == invoice.number
    assert reference.findtext(".//qdt:DateTimeString", namespaces=NSMAP) == invoice.issue_date.strftime("%Y%m%d")
    assert root.findtext(".//ram:GrandTotalAmount", namespaces=NSMAP) == f"{note.total_ttc:.2f}"


def test_the_printed_factur_x_shows_the_new_mentions(issued):
    flow, layout = pdf_flow(issued.pdfs["french"]), pdf_layout(issued.pdfs["french"])
    assert "SIREN : 732 829 320" in flow
    assert "Nature de l'opération Livraison de biens" in flow
    assert "Adresse de livraison identique" in flow
    assert "Option pour le paiement de la taxe d'après les débits" in flow
    assert normalised("Total TTC — net à payer 158,70 €") in layout
    note = pdf_flow(issued.pdfs["credit_note"])
    assert f"Avoir sur facture n° {issued.fr_invoice.number}" in note
    assert "Nature de l'opération Livraison de biens — rectification" in note



def test_the_command_line_checks_pdfs_and_xml_files_and_fails_on_a_broken_one(issued, reports, tmp_path,
                                                                               monkeypatch, capsys):
    """``advsim facturx check``: a PDF's embedded XML or an XML file, each file's
    verdict, exit 1 if one fails (the Saxon run is the module's, already made)."""
    from sim.cli import main

    pdf, xml = tmp_path / "facture.pdf", tmp_path / "casse.xml"
    pdf.write_bytes(issued.pdfs["french"])
    xml.write_bytes(_broken(issued.prepared["french"].xml))
    seen = {}

    def check(files):
        seen.update(files)
        return [facturx_check.Report(name, reports[key].xsd_errors, reports[key].failures, reports[key].rules_fired)
                for name, key in zip(files, ("french", "broken"))]

    monkeypatch.setattr(facturx_check, "check", check)
    assert main(["facturx", "check", str(pdf), str(xml)]) == 1
    assert seen == {str(pdf): issued.prepared["french"].xml, str(xml): xml.read_bytes()}
    out = capsys.readouterr().out
    assert f"{pdf}: valide" in out and f"{xml}: NON VALIDE" in out and "[BR-CO-15]" in out
