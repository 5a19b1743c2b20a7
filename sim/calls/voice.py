"""The customer's voice, generated offline by Debian's ``espeak-ng`` from the
scenario's text, in French or English (a WAV file kept with the call)."""
from __future__ import annotations

import shutil
import subprocess

from sim.errors import SimError

VOICES = {"fr": "fr", "en": "en-gb"}
WORDS_PER_MINUTE = 150
TEXT_MAX = 4000
TIMEOUT_S = 30


class VoiceUnavailable(SimError):
    """espeak-ng is not installed (make debian-deps)."""


def synthesise(text: str, language: str) -> bytes:
    """WAV bytes of ``text`` read in ``language`` (fr, en)."""
    binary = shutil.which("espeak-ng")
    if binary is None:
        raise VoiceUnavailable("espeak-ng est absent : installez-le (make debian-deps) pour les appels téléphoniques.")
    if language not in VOICES:
        raise ValueError(f"langue sans voix : {language!r}")
    # the text goes on stdin, never on the command line; --stdout writes the WAV
    done = subprocess.run([binary, "-v", VOICES[language], "-s", str(WORDS_PER_MINUTE), "--stdout"],
                          input=text[:TEXT_MAX].encode("utf-8"), capture_output=True, timeout=TIMEOUT_S, check=True)
    if not done.stdout.startswith(b"RIFF"):
        raise VoiceUnavailable("espeak-ng n'a pas produit de fichier son.")
    return done.stdout


def wav_seconds(data: bytes) -> int:
    """The length of a PCM WAV file, in whole seconds (rounded up), from its header."""
    import io
    import wave

    try:
        with wave.open(io.BytesIO(data)) as w:
            frames, rate = w.getnframes(), w.getframerate()
    except (wave.Error, EOFError):
        return 0
    if not rate:
        return 0
    # espeak-ng writing to a pipe leaves the header's length unset: count the data instead
    if frames in (0, 0x7FFFFFFF) or frames * w.getsampwidth() * w.getnchannels() > len(data):
        frames = max(len(data) - 44, 0) // max(w.getsampwidth() * w.getnchannels(), 1)
    return -(-frames // rate)
