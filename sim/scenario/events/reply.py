"""A simulated party answers the candidate's last message to them, in the same thread.

The candidate's own words are quoted as text: they are escaped wherever the
reply is shown."""
KIND = "reply"
TITLE = "Réponse scriptée d'un interlocuteur au dernier message du candidat (même fil)"
PROPERTIES = {"from": {"type": "object", "properties": {"customer": {"type": "string"},
                                                        "supplier": {"type": "string"}},
                       "additionalProperties": False},
              "body": {"type": "string", "minLength": 1}, "language": {"enum": ["fr", "en"]},
              "quote_candidate": {"type": "boolean"}}
REQUIRED = ["from", "body"]
REFS = {"from.customer": "customer", "from.supplier": "supplier"}


def handle(ctx, spec):
    last = ctx.last_message_to(spec["from"])
    if last is None:  # a "reply" out of nowhere would read as a bug: the event fails, with its reason
        from sim.errors import SimError

        raise SimError("rien à quoi répondre : le candidat n'a encore écrit à "
                       f"« {spec['from'].get('customer') or spec['from'].get('supplier')} »")
    body = spec["body"]
    if last is not None and spec.get("quote_candidate", True):
        body += "\n\n" + "\n".join("> " + line for line in last.body.splitlines())
    subject = ("RE: " + last.subject) if last is not None else "RE:"
    message = {"subject": subject[:200], "body": body}
    if spec.get("language"):  # else the sender's own language
        message["language"] = spec["language"]
    ctx.deliver(spec["from"], message,
                thread_id=(last.thread_id or last.id) if last is not None else None)
