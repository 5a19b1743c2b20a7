"""Reply templates in French and English that the candidate adapts: an
acknowledgement of a claim, a solution proposed, a delivery delay, an apology
for an invoicing error, a payment reminder. ``[…]`` marks what the candidate
must write themselves (the facts, the figures); ``{customer}``, ``{contact}``
and ``{company}`` are filled from the recipient and the company.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reply:
    key: str
    language: str  # fr | en
    title: str  # as the picker shows it (in French)
    subject: str
    body: str


REPLIES = [
    Reply("claim-ack-fr", "fr", "Réclamation : accusé de réception (FR)", "Votre réclamation [référence]",
          "Bonjour {contact},\n\nNous avons bien reçu votre réclamation du [date] concernant [la commande, la "
          "livraison, la facture] et vous prions de nous excuser pour ce désagrément.\n\nNous analysons la situation "
          "avec notre service [logistique, qualité, comptabilité] et revenons vers vous au plus tard le [date] avec "
          "une solution.\n\nCordialement,\n\n[Prénom Nom]\nAdministration des ventes — {company}"),
    Reply("claim-ack-en", "en", "Réclamation : accusé de réception (EN)", "Your complaint [reference]",
          "Dear {contact},\n\nThank you for your message of [date] about [the order, the delivery, the invoice]. "
          "We are sorry for the inconvenience this has caused.\n\nWe are looking into it with our [logistics, "
          "quality, accounts] department and will come back to you with a solution by [date] at the latest.\n\n"
          "Kind regards,\n\n[First name Last name]\nSales administration — {company}"),
    Reply("claim-solution-fr", "fr", "Réclamation : solution proposée (FR)", "Votre réclamation [référence] : notre proposition",
          "Bonjour {contact},\n\nSuite à votre réclamation concernant [les faits], nous vous proposons [un avoir de "
          "… € HT sur la facture …, le remplacement de …, la reprise de …].\n\nMerci de nous confirmer votre accord ; "
          "[l'avoir vous sera adressé, la marchandise sera expédiée] dès réception de votre réponse.\n\n"
          "Nous vous renouvelons nos excuses et restons à votre disposition.\n\nCordialement,\n\n[Prénom Nom]\n"
          "Administration des ventes — {company}"),
    Reply("claim-solution-en", "en", "Réclamation : solution proposée (EN)", "Your complaint [reference]: our proposal",
          "Dear {contact},\n\nFurther to your complaint about [the facts], we would like to offer you [a credit note "
          "of € … excl. VAT on invoice …, a replacement of …, to collect …].\n\nPlease confirm that this suits you; "
          "[the credit note will be sent, the goods will be shipped] as soon as we hear from you.\n\nPlease accept "
          "our apologies once again.\n\nKind regards,\n\n[First name Last name]\nSales administration — {company}"),
    Reply("delay-fr", "fr", "Retard de livraison (FR)", "Votre commande [référence] : nouvelle date de livraison",
          "Bonjour {contact},\n\nNous vous informons que la livraison de votre commande [référence] prévue le "
          "[date] est reportée au [nouvelle date] en raison de [motif].\n\nNous vous prions de nous excuser pour ce "
          "contretemps [et vous proposons …].\n\nCordialement,\n\n[Prénom Nom]\nAdministration des ventes — {company}"),
    Reply("delay-en", "en", "Retard de livraison (EN)", "Your order [reference]: new delivery date",
          "Dear {contact},\n\nWe regret to inform you that the delivery of your order [reference], planned for "
          "[date], has been postponed to [new date] because of [reason].\n\nWe apologise for the inconvenience "
          "[and would like to offer …].\n\nKind regards,\n\n[First name Last name]\nSales administration — {company}"),
    Reply("reminder-fr", "fr", "Relance de paiement (FR)", "Facture [numéro] : rappel d'échéance",
          "Bonjour {contact},\n\nSauf erreur de notre part, la facture [numéro] de [montant] € TTC, échue le [date], "
          "reste impayée à ce jour.\n\nNous vous remercions de bien vouloir procéder à son règlement ou de nous "
          "indiquer ce qui s'y oppose.\n\nCordialement,\n\n[Prénom Nom]\nAdministration des ventes — {company}"),
    Reply("reminder-en", "en", "Relance de paiement (EN)", "Invoice [number]: payment reminder",
          "Dear {contact},\n\nAccording to our records, invoice [number] for € [amount] incl. VAT, due on [date], "
          "remains unpaid.\n\nWe would be grateful if you could settle it or let us know if there is any problem.\n\n"
          "Kind regards,\n\n[First name Last name]\nSales administration — {company}"),
]
BY_KEY = {r.key: r for r in REPLIES}


def filled(key: str, *, contact: str = "", customer: str = "", company: str = "") -> Reply | None:
    """The template with the recipient and the company filled in, or None for an unknown key."""
    reply = BY_KEY.get(key)
    if reply is None:
        return None
    fallback = "Madame, Monsieur" if reply.language == "fr" else "Sir or Madam"
    values = {"contact": contact or fallback, "customer": customer, "company": company}
    return Reply(reply.key, reply.language, reply.title, reply.subject.format(**values), reply.body.format(**values))
