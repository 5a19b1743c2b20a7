"""Communication supports (CP5): helpers shared by the tests."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from sim.crm.models import Contact, Customer
from sim.db import UnitOfWork

ACTOR = "candidate:comms"
CONSENTS = ("consent_offers_on", "consent_newsletter_on", "consent_events_on", "marketing_objection_on")


def customers_with_known_consents(workspace_id: int) -> dict[str, str]:
    """Five B2B customers whose consents are set by hand, every other customer
    without any consent: {case: customer code}.

    - ``offers``: consented to commercial offers by e-mail (on 10/01/2026);
    - ``newsletter_only``: consented to the newsletter only;
    - ``objected``: consented to offers, then objected to any marketing;
    - ``no_email``: consented to offers, but no e-mail on the record nor for a contact;
    - ``litigation``: consented to offers, in litigation with the company.
    """
    day = date(2026, 1, 10)
    with UnitOfWork(workspace_id) as uow:
        uow.session.execute(update(Customer).values(**{c: None for c in CONSENTS}))
        b2b = list(uow.session.scalars(select(Customer).where(Customer.kind == "b2b", Customer.status == "customer",
                                                              Customer.in_litigation.is_(False),
                                                              Customer.email != "")
                                       .order_by(Customer.code).limit(5)))
        cases = dict(zip(("offers", "newsletter_only", "objected", "no_email", "litigation"), b2b))
        cases["offers"].consent_offers_on = day
        cases["newsletter_only"].consent_newsletter_on = day
        cases["objected"].consent_offers_on = day
        cases["objected"].marketing_objection_on = date(2026, 6, 1)
        cases["no_email"].consent_offers_on = day
        cases["no_email"].email = ""
        uow.session.execute(update(Contact).where(Contact.customer_id == cases["no_email"].id).values(email=""))
        cases["litigation"].consent_offers_on = day
        cases["litigation"].in_litigation = True
        uow.commit()
        return {case: customer.code for case, customer in cases.items()}


def a_support(workspace_id: int):
    """A draft offer by e-mail to the B2B customers, so that every kind of URL has an object to name."""
    from sim.communication.service import create_support

    with UnitOfWork(workspace_id) as uow:
        support = create_support(uow, actor=ACTOR, kind="offer", channel="email", title="-10 % sur le film étirable",
                                 objective="Relancer les ventes de film", body="Bonjour,\n\n**-10 %** jusqu'au 30/11.",
                                 filters={"status": "customer", "kind": "b2b"})
        uow.commit()
        return support
