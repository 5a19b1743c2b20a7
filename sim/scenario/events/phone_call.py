"""A customer phones: their voice is played to the candidate (generated offline by
espeak-ng in French or English from ``text``, or the recording ``audio`` names in
the scenario library's ``audio/`` folder), and the candidate answers orally (a
recording in the browser) or, without a microphone, by a typed summary."""
KIND = "phone_call"
TITLE = ("Appel téléphonique d'un client : sa voix (synthèse espeak-ng du texte, en français ou en anglais, ou un "
         "enregistrement fourni) ; le candidat répond à l'oral (enregistrement) ou par un compte rendu écrit")
PROPERTIES = {"from": {"type": "object", "properties": {"customer": {"type": "string"}}, "required": ["customer"],
                       "additionalProperties": False},
              "language": {"enum": ["fr", "en"]},
              "subject": {"type": "string", "minLength": 1, "maxLength": 200},
              "text": {"type": "string", "minLength": 1, "maxLength": 4000,
                       "description": "ce que dit le client (lu par la synthèse vocale, transcription pour l'évaluateur)"},
              "audio": {"type": "string", "pattern": r"^[A-Za-z0-9_.-]+\.(wav|ogg|webm|mp3|m4a)$",
                        "description": "un enregistrement du dossier audio/ de la bibliothèque de scénarios"},
              "callback": {"type": "string", "description": "le rappel attendu, en clair (ex. « sous 2 h »)"}}
REQUIRED = ["from", "language", "subject", "text"]
REFS = {"from.customer": "customer"}
MIME = {"wav": "audio/wav", "ogg": "audio/ogg", "webm": "audio/webm", "mp3": "audio/mpeg", "m4a": "audio/mp4"}


def handle(ctx, spec):
    from sim.calls.service import receive

    audio = mime = None
    if spec.get("audio"):
        from sim.scenario.library import folders

        found = [folder / "audio" / spec["audio"] for folder, _ in folders()
                 if (folder / "audio" / spec["audio"]).is_file()]
        if not found:
            raise LookupError(f"enregistrement introuvable : audio/{spec['audio']}")
        audio, mime = found[-1].read_bytes(), MIME[found[-1].suffix.lstrip(".")]
    receive(ctx.uow, actor=ctx.actor, customer_id=ctx.entity("customer", spec["from"]["customer"]).id,
            subject=spec["subject"], text=spec["text"], language=spec["language"], audio=audio, audio_mime=mime or "",
            event_key=ctx.event_key, callback=spec.get("callback", ""))
