"""The mailbox over HTTP: what candidates and scenarios wrote is shown as
text (escaped, never as markup), a refused form comes back 422 with each
message next to its field, and a candidate reaches only their own messages."""
from __future__ import annotations

import re

from sim.db import UnitOfWork
from sim.inbox import service as inbox
from tests.inbox import a_customer, a_customer_with_a_quote, a_message_with_an_attachment, counts, delivered, entries


def _form_token(html: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def test_the_list_shows_unread_threads_in_bold_with_the_sim_time(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    message = delivered(workspace.id, customer=a_customer(workspace.id), subject="Retard de livraison")
    browser = login(user)

    page = browser.get("/inbox")

    assert page.status_code == 200
    row = re.search(rf'<tr class="unread" data-thread="{message.id}">.*?</tr>', page.text, re.S).group(0)
    assert "Retard de livraison" in row and "Jeanne Martin" in row
    assert message.sim_time.strftime("%d/%m/%Y %H:%M") in row
    # the htmx refresh and the folder tabs get only the table
    fragment = browser.get("/inbox?box=unread", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="inbox-table"') and "<html" not in fragment.text
    assert f'data-thread="{message.id}"' in fragment.text
    assert f'data-thread="{message.id}"' not in browser.get("/inbox?box=sent").text


def test_opening_a_thread_marks_it_read_and_journals_it_once(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    message = delivered(workspace.id, customer=a_customer(workspace.id), event_key="late")
    browser = login(user)

    first = browser.get(f"/inbox/{message.id}")
    second = browser.get(f"/inbox/{message.id}")

    assert first.status_code == second.status_code == 200
    assert "nouveau" in first.text and "nouveau" not in second.text
    reads = [e for e in entries(workspace.id, "message.read") if e.refs["message"] == message.reference]
    assert len(reads) == 1 and reads[0].actor == f"candidate:{user.username}"
    assert f'<tr class="unread" data-thread="{message.id}"' not in browser.get("/inbox").text


def test_scenario_markup_is_shown_as_text(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    message = delivered(workspace.id, customer=a_customer(workspace.id), subject="<i>Objet</i>",
                        body="Texte <b>important</b>\nligne 2")
    browser = login(user)

    html = browser.get(f"/inbox/{message.id}").text

    assert "Texte &lt;b&gt;important&lt;/b&gt;\nligne 2" in html and "<b>important" not in html
    assert "&lt;i&gt;Objet&lt;/i&gt;" in html and "<i>Objet" not in html
    assert "&lt;i&gt;Objet&lt;/i&gt;" in browser.get("/inbox").text


def test_a_candidates_script_is_sent_as_written_and_shown_escaped(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    customer = a_customer(workspace.id)
    browser = login(user)
    token = _form_token(browser.get("/inbox/new").text)

    response = browser.post("/inbox", {"to_role": "customer", "customer": f"{customer.code} — {customer.name}",
                                       "subject": "Test <script>alert(1)</script>",
                                       "body": "Bonjour <script>alert(1)</script>", "language": "",
                                       "form_token": token})

    assert response.status_code == 303
    page = browser.get(response.headers["location"])
    assert "<script>alert(1)</script>" not in page.text
    assert "Bonjour &lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert entries(workspace.id, "message.sent")[-1].payload["text"] == "Bonjour <script>alert(1)</script>"
    assert "<script>alert(1)</script>" not in browser.get("/inbox?box=sent").text


def test_a_bad_message_comes_back_with_each_error_next_to_its_field(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    browser = login(user)
    token = _form_token(browser.get("/inbox/new").text)
    before = counts(workspace.id)

    response = browser.post("/inbox", {"to_role": "customer", "customer": "ZZZ-NOPE", "subject": "",
                                       "body": "Texte gardé", "language": "", "form_token": token})

    assert response.status_code == 422
    html = response.text
    assert re.search(r'name="customer"[^>]*aria-invalid="true"', html)
    assert 'id="err-customer" role="alert">Choisissez un client existant' in html
    assert 'id="err-subject" role="alert">L&#39;objet est obligatoire.' in html
    assert "Texte gardé</textarea>" in html and _form_token(html) == token
    assert counts(workspace.id) == before


def test_replying_with_a_quote_attached_over_http(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    customer, quote = a_customer_with_a_quote(workspace.id)
    message = delivered(workspace.id, customer=customer, subject="Votre offre ?")
    browser = login(user)
    page = browser.get(f"/inbox/{message.id}").text
    assert f'value="quote:{quote.id}"' in page and 'value="RE: Votre offre ?"' in page

    response = browser.post(f"/inbox/{message.id}/reply", {
        "subject": "RE: Votre offre ?", "language": "fr", "body": "Voici notre devis.",
        "attach": f"quote:{quote.id}", "form_token": _form_token(page)})

    assert response.status_code == 303
    thread = browser.get(response.headers["location"]).text
    link = re.search(r'href="(/inbox/\d+/attachments/\d+)"', thread).group(1)
    pdf = browser.get(link)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf.headers["content-type"] == "application/pdf"
    assert f"Devis_{quote.number}.pdf" in pdf.headers["content-disposition"]


def test_an_empty_reply_is_refused_next_to_the_message_field(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    message = delivered(workspace.id, customer=a_customer(workspace.id))
    browser = login(user)
    page = browser.get(f"/inbox/{message.id}").text
    before = counts(workspace.id)

    response = browser.post(f"/inbox/{message.id}/reply", {"subject": "RE: x", "language": "fr", "body": " ",
                                                          "form_token": _form_token(page)})

    assert response.status_code == 422 and 'id="err-body" role="alert">Le message est vide.' in response.text
    assert counts(workspace.id) == before


def test_another_candidate_gets_404_for_the_thread_the_reply_and_the_attachment(login, make_user,
                                                                               candidate_with_workspace,
                                                                               make_workspace):
    user, workspace = candidate_with_workspace
    sent = a_message_with_an_attachment(workspace.id)
    with UnitOfWork(workspace.id, write=False) as uow:
        [attachment] = inbox.thread(uow, sent.id)[0].attachments
    intruder = make_user("candidate")
    make_workspace(owner=intruder)
    owner, other = login(user), login(intruder)

    url = f"/inbox/{sent.id}/attachments/{attachment.id}"
    assert owner.get(url).status_code == 200
    assert other.get(f"/inbox/{sent.id}").status_code == 404
    assert other.get(url).status_code == 404
    assert other.post(f"/inbox/{sent.id}/reply", {"subject": "x", "body": "y", "language": "fr"}).status_code == 404
    assert f'data-thread="{sent.id}"' not in other.get("/inbox?box=all").text


def test_an_attachment_is_only_served_with_its_own_message(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    sent = a_message_with_an_attachment(workspace.id)
    other_message = delivered(workspace.id, customer=a_customer(workspace.id))
    with UnitOfWork(workspace.id, write=False) as uow:
        [attachment] = inbox.thread(uow, sent.id)[0].attachments
    browser = login(user)
    assert browser.get(f"/inbox/{other_message.id}/attachments/{attachment.id}").status_code == 404


def test_choosing_a_customer_lists_the_documents_it_can_be_sent(login, candidate_with_workspace):
    user, workspace = candidate_with_workspace
    customer, quote = a_customer_with_a_quote(workspace.id)
    browser = login(user)

    fragment = browser.get(f"/inbox/new?customer={customer.code}",
                           headers={"HX-Request": "true", "HX-Target": "compose-attachments"})

    assert fragment.status_code == 200 and fragment.text.lstrip().startswith('<div id="compose-attachments"')
    assert f'value="quote:{quote.id}"' in fragment.text and f'value="statement:{customer.id}"' in fragment.text


def test_the_composer_suggests_customers_from_the_server_and_lists_none_of_them(login, candidate_with_workspace):
    """3 000 customers in a <datalist> made the compose page heavy at the large size:
    it asks the editors' suggestions endpoint as the words are typed instead."""
    from sim.crm.models import Customer
    from sqlalchemy import select

    user, workspace = candidate_with_workspace
    with UnitOfWork(workspace.id, write=False) as uow:
        names = uow.session.scalars(select(Customer.name)).all()
    browser = login(user)

    page = browser.get("/inbox/new")

    assert page.status_code == 200 and 'id="customer-list"' not in page.text
    assert not [name for name in names if name in page.text]
    assert 'hx-get="/quotes/customer-suggestions"' in page.text and 'id="customer-suggest"' in page.text
    # a customer given in the link is still in the field, its documents listed
    customer, quote = a_customer_with_a_quote(workspace.id)
    page = browser.get(f"/inbox/new?customer={customer.code}")
    assert f'value="{customer.code}' in page.text and f'value="quote:{quote.id}"' in page.text


def test_a_phone_call_is_not_a_message(login, candidate_with_workspace):
    """Seeded history has calls and meetings too: the mailbox shows emails only."""
    from sqlalchemy import select

    from sim.crm.models import Interaction

    user, workspace = candidate_with_workspace
    with UnitOfWork(workspace.id, write=False) as uow:
        call = uow.session.scalars(select(Interaction.id).where(Interaction.channel != "email")).first()
    assert call is not None
    assert login(user).get(f"/inbox/{call}").status_code == 404
