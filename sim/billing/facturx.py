"""Factur-X: the invoice and the credit note as electronic invoices.

A Factur-X file is the printed PDF, as PDF/A-3 (WeasyPrint's ``pdf/a-3b``),
with the invoice's data embedded as an XML file (``factur-x.xml``): UN/CEFACT
Cross Industry Invoice (CII D16B), profile **EN 16931** (the European
standard's semantic model, guideline ``urn:cen.eu:en16931:2017``). The
``factur-x`` library embeds the XML, writes the PDF/A XMP metadata (profile
EN 16931) and checks the XML against the profile's XSD; the EN 16931 business
rules (schematron) are checked with Saxon by ``sim.billing.facturx_check``.

The XML says what the printed document says (the same stored figures):
lines with their line discount as a line allowance, the global discount as a
document allowance per VAT rate, VAT per rate (category S; K for an intra-EU
supply, G for an export, with their exemption reason), the reform's new
mentions (customer SIREN, delivery address, nature of the operation as the
French *cadre de facturation* B1/S1/M1, VAT-on-debits option as BT-8 code 5)
and the legal mentions of L441-9 / L441-10 as notes (PMD, PMT, AAB).
"""
from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from lxml import etree
from sqlalchemy import select

from sim.billing.einvoice import VAT_ON_DEBITS_MENTION, delivery_address, operation_nature
from sim.billing.models import CreditNote, CreditNoteLine, Invoice, InvoiceLine
from sim.billing.terms import terms_label
from sim.billing.vat import EXPORT_MENTION, INTRA_EU_MENTION
from sim.company.models import Company
from sim.crm.models import Customer, CustomerKind, PaymentMethod
from sim.sales.pricing import ZERO, document_totals, money
from sim.stock.models import Delivery, Product

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NSMAP = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}

GUIDELINE_EN16931 = "urn:cen.eu:en16931:2017"
TYPE_INVOICE, TYPE_CREDIT_NOTE = "380", "381"  # UNTDID 1001

# VAT category (UNCL 5305) and exemption reason code (VATEX) per regime (sim.billing.vat)
_CATEGORY = {"fr": ("S", ""), "intra_eu": ("K", "VATEX-EU-IC"), "export": ("G", "VATEX-EU-G"),
             # a penalty invoice (late penalties, the 40 € indemnity): outside the scope of VAT (not the price
             # of a supply), category O — no VAT rate, no VAT identifier (EN 16931 BR-O-02, BR-O-05, BR-O-10)
             "out_of_scope": ("O", "VATEX-EU-O")}
OUT_OF_SCOPE_REASON = "Hors champ d'application de la TVA (pénalités de retard et indemnité de recouvrement)"

# Units of the catalogue → UN/ECE Recommendation 20 (C62: "one", the unit of a count)
_UNITS = {"u": "C62", "kg": "KGM", "g": "GRM", "m": "MTR", "m2": "MTK", "m²": "MTK", "l": "LTR", "h": "HUR",
          "lot": "LO", "rouleau": "XRO", "carton": "XCT", "boîte": "XBX", "paquet": "XPK", "palette": "XPX"}

# Payment methods → UNTDID 4461
_MEANS = {PaymentMethod.TRANSFER: "58", PaymentMethod.CHEQUE: "20", PaymentMethod.CARD: "48",
          PaymentMethod.BILL: "23", PaymentMethod.DIRECT_DEBIT: "59"}


def _e(parent, tag: str, text=None, **attrs):
    prefix, name = tag.split(":")
    el = etree.SubElement(parent, f"{{{NSMAP[prefix]}}}{name}", **attrs)
    if text is not None:
        el.text = str(text)
    return el


def _amount(value) -> str:
    return f"{money(value):.2f}"


def _rate(value) -> str:
    text = f"{Decimal(value):.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _qty(value) -> str:
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _date(parent, tag: str, when, qualified: bool = False):
    holder = _e(parent, tag)
    _e(holder, "qdt:DateTimeString" if qualified else "udt:DateTimeString", when.strftime("%Y%m%d"), format="102")
    return holder


# ===== what the XML is built from =======================================

def invoice_data(uow, invoice_id: int) -> SimpleNamespace:
    invoice = uow.get(Invoice, invoice_id)
    lines = uow.session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)
                                .order_by(InvoiceLine.position, InvoiceLine.id)).all()
    delivery = uow.session.get(Delivery, invoice.delivery_id) if invoice.delivery_id else None
    totals = document_totals(lines, invoice.global_discount_pct)
    return _data(uow, kind="invoice", doc=invoice, invoice=invoice, lines=lines, totals=totals,
                 type_code=TYPE_INVOICE, delivery=delivery)


def credit_note_data(uow, credit_note_id: int) -> SimpleNamespace:
    from sim.billing.service import _note_totals

    note = uow.get(CreditNote, credit_note_id)
    invoice = uow.session.get(Invoice, note.invoice_id)
    lines = uow.session.scalars(select(CreditNoteLine).where(CreditNoteLine.credit_note_id == note.id)
                                .order_by(CreditNoteLine.position, CreditNoteLine.id)).all()
    delivery = uow.session.get(Delivery, invoice.delivery_id) if invoice.delivery_id else None
    return _data(uow, kind="credit_note", doc=note, invoice=invoice, lines=lines, totals=_note_totals(uow, note),
                 type_code=TYPE_CREDIT_NOTE, delivery=delivery)


def _data(uow, **values) -> SimpleNamespace:
    data = SimpleNamespace(**values)
    data.company = uow.session.scalars(select(Company)).one()
    data.customer = uow.session.get(Customer, data.invoice.customer_id)
    # the regime the invoice was issued under (its printed mention), not the customer's today
    data.regime = {INTRA_EU_MENTION: "intra_eu", EXPORT_MENTION: "export"}.get(data.invoice.vat_mention, "fr")
    invoice_kinds = set(uow.session.scalars(select(InvoiceLine.line_kind)
                                            .where(InvoiceLine.invoice_id == data.invoice.id)))
    if invoice_kinds == {"penalty"}:  # a penalty invoice (sim/receivables/recovery.py), and its credit notes
        data.regime = "out_of_scope"
    ids = {l.product_id for l in data.lines if l.product_id}
    data.products = ({p.id: p for p in uow.session.scalars(select(Product).where(Product.id.in_(ids)))}
                     if ids else {})
    data.ship_to, data.ship_to_is_billing = delivery_address(uow, data.invoice)
    # the nature of the operation is the invoice's (a credit note amends it)
    data.nature = operation_nature(uow.session.scalars(select(InvoiceLine)
                                                       .where(InvoiceLine.invoice_id == data.invoice.id)).all())
    return data


# ===== the CII XML =======================================================

def cii_xml(data: SimpleNamespace) -> bytes:
    """The Cross Industry Invoice of an invoice or credit note (EN 16931 profile), UTF-8."""
    company, customer, doc, invoice = data.company, data.customer, data.doc, data.invoice
    category, exemption_code = _CATEGORY[data.regime]
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap=NSMAP)

    context = _e(root, "rsm:ExchangedDocumentContext")
    _e(_e(context, "ram:BusinessProcessSpecifiedDocumentContextParameter"), "ram:ID", data.nature.process)
    _e(_e(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", GUIDELINE_EN16931)

    header = _e(root, "rsm:ExchangedDocument")
    _e(header, "ram:ID", doc.number)
    _e(header, "ram:TypeCode", data.type_code)
    _date(header, "ram:IssueDateTime", doc.issue_date)
    for subject, text in _notes(data):
        note = _e(header, "ram:IncludedNote")
        _e(note, "ram:Content", text)
        _e(note, "ram:SubjectCode", subject)

    transaction = _e(root, "rsm:SupplyChainTradeTransaction")
    lines_total = ZERO
    for number, line in enumerate(data.lines, start=1):
        lines_total += money(line.line_total_ht)
        _line(transaction, number, line, data, category)

    # --- BG-4 seller, BG-7 buyer, references --------------------------------
    agreement = _e(transaction, "ram:ApplicableHeaderTradeAgreement")
    if invoice.customer_po:
        _e(agreement, "ram:BuyerReference", invoice.customer_po)
    seller = _e(agreement, "ram:SellerTradeParty")
    _e(seller, "ram:Name", company.name)
    legal = _e(seller, "ram:SpecifiedLegalOrganization")
    _e(legal, "ram:ID", company.siren, schemeID="0002")  # 0002: SIREN (ISO 6523 ICD)
    _e(legal, "ram:TradingBusinessName", company.name)
    _address(seller, company.address, company.postcode, company.city, company.country)
    if company.email:
        _e(_e(seller, "ram:URIUniversalCommunication"), "ram:URIID", company.email, schemeID="EM")
    if category != "O":
        _e(_e(seller, "ram:SpecifiedTaxRegistration"), "ram:ID", company.vat_number, schemeID="VA")
    buyer = _e(agreement, "ram:BuyerTradeParty")
    _e(buyer, "ram:Name", customer.name)
    if customer.siren:  # the reform's new mention: the customer's SIREN
        _e(_e(buyer, "ram:SpecifiedLegalOrganization"), "ram:ID", customer.siren, schemeID="0002")
    _address(buyer, customer.address, customer.postcode, customer.city, customer.country)
    if customer.email:
        _e(_e(buyer, "ram:URIUniversalCommunication"), "ram:URIID", customer.email, schemeID="EM")
    if customer.vat_number and category != "O":
        _e(_e(buyer, "ram:SpecifiedTaxRegistration"), "ram:ID", customer.vat_number, schemeID="VA")
    if invoice.customer_po:
        _e(_e(agreement, "ram:BuyerOrderReferencedDocument"), "ram:IssuerAssignedID", invoice.customer_po)

    # --- BG-13 delivery: where (the reform's new mention), when, which note ---
    delivery = _e(transaction, "ram:ApplicableHeaderTradeDelivery")
    ship_to = _e(delivery, "ram:ShipToTradeParty")
    _e(ship_to, "ram:Name", data.ship_to.name)
    _address(ship_to, data.ship_to.line, data.ship_to.postcode, data.ship_to.city, data.ship_to.country)
    delivered = invoice.delivery_date or invoice.issue_date
    _date(_e(delivery, "ram:ActualDeliverySupplyChainEvent"), "ram:OccurrenceDateTime", delivered)
    if data.delivery is not None:
        _e(_e(delivery, "ram:DespatchAdviceReferencedDocument"), "ram:IssuerAssignedID", data.delivery.number)

    # --- settlement: payment means, VAT breakdown, allowances, terms, totals ---
    settlement = _e(transaction, "ram:ApplicableHeaderTradeSettlement")
    if data.kind == "invoice":
        _e(settlement, "ram:PaymentReference", invoice.number)
    _e(settlement, "ram:InvoiceCurrencyCode", "EUR")
    if data.kind == "invoice":
        means = _e(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
        code = _MEANS.get(customer.payment_method, "58")
        _e(means, "ram:TypeCode", code)
        _e(means, "ram:Information", _method_label(customer.payment_method))
        if code in ("58", "30", "42"):  # a transfer: to the company's account
            _e(_e(means, "ram:PayeePartyCreditorFinancialAccount"), "ram:IBANID", company.iban)
            if company.bic:
                _e(_e(means, "ram:PayeeSpecifiedCreditorFinancialInstitution"), "ram:BICID", company.bic)
    by_rate = data.totals.by_rate
    line_bases: dict[Decimal, Decimal] = {}
    for line in data.lines:
        line_bases[Decimal(line.vat_rate)] = line_bases.get(Decimal(line.vat_rate), ZERO) + money(line.line_total_ht)
    for rate, (base, vat) in by_rate.items():
        tax = _e(settlement, "ram:ApplicableTradeTax")
        _e(tax, "ram:CalculatedAmount", _amount(vat))
        _e(tax, "ram:TypeCode", "VAT")
        if exemption_code:
            _e(tax, "ram:ExemptionReason", OUT_OF_SCOPE_REASON if category == "O"
               else invoice.vat_mention or exemption_code)
        _e(tax, "ram:BasisAmount", _amount(base))
        _e(tax, "ram:CategoryCode", category)
        if exemption_code:
            _e(tax, "ram:ExemptionReasonCode", exemption_code)
        if company.vat_on_debits and category == "S":
            _e(tax, "ram:DueDateTypeCode", "5")  # BT-8: VAT due on the invoice date (option for debits)
        if category != "O":
            _e(tax, "ram:RateApplicablePercent", _rate(rate))
    allowances = charges = ZERO
    for rate, (base, _vat) in by_rate.items():
        difference = line_bases.get(rate, ZERO) - base  # the global discount of that rate
        if difference == 0:
            continue
        allowance = difference > 0
        item = _e(settlement, "ram:SpecifiedTradeAllowanceCharge")
        _e(_e(item, "ram:ChargeIndicator"), "udt:Indicator", "false" if allowance else "true")
        _e(item, "ram:ActualAmount", _amount(abs(difference)))
        if allowance:
            _e(item, "ram:ReasonCode", "95")  # UNCL 5189: discount
        pct = Decimal(invoice.global_discount_pct or 0)
        _e(item, "ram:Reason", f"Remise globale {_rate(pct)} %" if allowance and pct else "Ajustement d'arrondi")
        trade_tax = _e(item, "ram:CategoryTradeTax")
        _e(trade_tax, "ram:TypeCode", "VAT")
        _e(trade_tax, "ram:CategoryCode", category)
        if category != "O":
            _e(trade_tax, "ram:RateApplicablePercent", _rate(rate))
        if allowance:
            allowances += difference
        else:
            charges -= difference
    terms = _e(settlement, "ram:SpecifiedTradePaymentTerms")
    if data.kind == "invoice":
        _e(terms, "ram:Description", _terms(invoice.payment_terms))
        _date(terms, "ram:DueDateDateTime", invoice.due_date)
    else:
        _e(terms, "ram:Description", f"Avoir imputé sur la facture n° {invoice.number} ; un excédent reste au "
                                     "crédit du client ou lui est remboursé.")
    summation = _e(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _e(summation, "ram:LineTotalAmount", _amount(lines_total))
    if charges:
        _e(summation, "ram:ChargeTotalAmount", _amount(charges))
    if allowances:
        _e(summation, "ram:AllowanceTotalAmount", _amount(allowances))
    _e(summation, "ram:TaxBasisTotalAmount", _amount(data.totals.total_ht))
    _e(summation, "ram:TaxTotalAmount", _amount(data.totals.total_vat), currencyID="EUR")
    _e(summation, "ram:GrandTotalAmount", _amount(data.totals.total_ttc))
    _e(summation, "ram:DuePayableAmount", _amount(data.totals.total_ttc))
    if data.kind == "credit_note":  # BG-3: the invoice it amends (CGI 289 I-5)
        reference = _e(settlement, "ram:InvoiceReferencedDocument")
        _e(reference, "ram:IssuerAssignedID", invoice.number)
        _date(reference, "ram:FormattedIssueDateTime", invoice.issue_date, qualified=True)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _line(transaction, number: int, line, data, category: str) -> None:
    product = data.products.get(line.product_id)
    item = _e(transaction, "ram:IncludedSupplyChainTradeLineItem")
    _e(_e(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", number)
    trade_product = _e(item, "ram:SpecifiedTradeProduct")
    if product is not None:
        _e(trade_product, "ram:SellerAssignedID", product.reference)
    _e(trade_product, "ram:Name", line.description)
    agreement = _e(item, "ram:SpecifiedLineTradeAgreement")
    _e(_e(agreement, "ram:NetPriceProductTradePrice"), "ram:ChargeAmount", _amount(line.unit_price))
    unit = _UNITS.get((product.unit if product else "u").strip().lower(), "C62")
    _e(_e(item, "ram:SpecifiedLineTradeDelivery"), "ram:BilledQuantity", _qty(line.quantity), unitCode=unit)
    settlement = _e(item, "ram:SpecifiedLineTradeSettlement")
    tax = _e(settlement, "ram:ApplicableTradeTax")
    _e(tax, "ram:TypeCode", "VAT")
    _e(tax, "ram:CategoryCode", category)
    if category != "O":
        _e(tax, "ram:RateApplicablePercent", _rate(line.vat_rate))
    # The line discount: quantity × net price − the line's rounded net amount (BT-136)
    gross = Decimal(line.quantity) * Decimal(line.unit_price)
    discount = money(gross) - money(line.line_total_ht)
    line_amount = money(line.line_total_ht)
    if discount:
        allowance = _e(settlement, "ram:SpecifiedTradeAllowanceCharge")
        _e(_e(allowance, "ram:ChargeIndicator"), "udt:Indicator", "false")
        _e(allowance, "ram:ActualAmount", _amount(discount))
        _e(allowance, "ram:ReasonCode", "95")
        _e(allowance, "ram:Reason", f"Remise {_rate(line.discount_pct)} %")
    # BT-131 = quantity × net price − line allowances: exactly the stored line total
    _e(_e(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation"), "ram:LineTotalAmount",
       _amount(line_amount))


def _address(party, line: str, postcode: str, city: str, country: str) -> None:
    address = _e(party, "ram:PostalTradeAddress")
    if postcode:
        _e(address, "ram:PostcodeCode", postcode)
    if line:
        _e(address, "ram:LineOne", line)
    if city:
        _e(address, "ram:CityName", city)
    _e(address, "ram:CountryID", country or "FR")


def _notes(data) -> list[tuple[str, str]]:
    """The invoice's legal mentions as notes (UNTDID 4451 subject codes)."""
    company, customer = data.company, data.customer
    notes = [("AAI", f"Nature de l'opération : {data.nature.label}")]
    if data.kind == "credit_note":
        notes.append(("AAI", f"Avoir sur facture n° {data.invoice.number} du "
                             f"{data.invoice.issue_date:%d/%m/%Y} — motif : {data.doc.reason}"))
    address = "identique à l'adresse de facturation" if data.ship_to_is_billing else data.ship_to.one_line()
    notes.append(("AAI", f"Adresse de livraison : {address}"))
    if data.invoice.vat_mention:
        notes.append(("AAI", data.invoice.vat_mention))
    if company.vat_on_debits:
        notes.append(("TXD", VAT_ON_DEBITS_MENTION))
    if data.kind == "invoice":
        notes.append(("AAB", company.early_payment_discount.rstrip(".") + "."))
        if customer.kind == CustomerKind.B2B:
            notes.append(("PMD", f"Pénalités de retard : taux annuel de {_rate(company.penalty_rate)} %, exigibles "
                                 "dès le lendemain de l'échéance (art. L441-10 du Code de commerce)."))
            notes.append(("PMT", f"Indemnité forfaitaire pour frais de recouvrement : "
                                 f"{_rate(company.recovery_indemnity)} € (art. D441-5 du Code de commerce)."))
    return notes


def _terms(code: str) -> str:
    try:
        return terms_label(code)
    except ValueError:
        return code


def _method_label(code: str) -> str:
    try:
        return PaymentMethod(code).label
    except ValueError:
        return code


# ===== the Factur-X PDF ==================================================

def build(uow, kind: str, ref_id: int) -> tuple[SimpleNamespace, bytes]:
    """(the data, the CII XML) of an invoice or a credit note."""
    if kind == "invoice":
        data = invoice_data(uow, ref_id)
    elif kind == "credit_note":
        data = credit_note_data(uow, ref_id)
    else:
        raise ValueError(f"pas de Factur-X pour un document {kind!r}")
    return data, cii_xml(data)


def facturx_pdf(pdf_a3: bytes, xml: bytes, data: SimpleNamespace) -> bytes:
    """Embed the XML in the PDF/A-3 print (factur-x library: XSD checked,
    ``factur-x.xml`` attached with AFRelationship Data, XMP metadata of the
    EN 16931 profile)."""
    from facturx import generate_from_binary

    title = "Facture" if data.kind == "invoice" else "Avoir"
    return generate_from_binary(
        pdf_a3, xml, flavor="factur-x", level="en16931", check_xsd=True, check_schematron=False, lang="fr-FR",
        pdf_metadata={"author": data.company.name, "keywords": "Factur-X, EN 16931, facture électronique",
                      "title": f"{data.company.name} : {title} {data.doc.number}",
                      "subject": f"{title} Factur-X {data.doc.number} du {data.doc.issue_date:%d/%m/%Y} "
                                 f"émise par {data.company.name} pour {data.customer.name}"})
