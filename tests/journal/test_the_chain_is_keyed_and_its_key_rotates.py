"""The chain is an HMAC under a key kept outside the database: a forger who
rewrites the rows and recomputes the hashes without it is caught, and a key
rotation keeps the older entries verifiable."""
from __future__ import annotations

import os
import stat

import pytest

from sim.cli import main
from sim.journal import keys
from tests.journal.chain_tools import rechain, report_of, sql, write


def _edit(entry):
    if entry.seq == 3:
        entry.actor = "candidate:someone-else"


def test_recomputing_the_hashes_without_the_key_is_detected(workspace):
    write(workspace.id, 4)
    kept_key_id = keys.current_key().id

    rechain(workspace.id, key=None, key_id=kept_key_id, edit=_edit)  # plain SHA-256, key id left as it was

    report = report_of(workspace.id)
    assert report.broken_seq == 1
    assert report.reason == "hash recalculé sans la clé du journal (SHA-256 simple au lieu du HMAC)"


def test_recomputing_the_hashes_with_a_guessed_key_is_detected(workspace):
    write(workspace.id, 4)
    rechain(workspace.id, key=b"a guess at the journal key", key_id=keys.current_key().id, edit=_edit)
    report = report_of(workspace.id)
    assert report.broken_seq == 1 and "le HMAC ne correspond plus" in report.reason


def test_passing_the_rewritten_chain_off_as_unkeyed_still_shows(workspace, capsys):
    # The forger blanks the key ids and rewrites every entry with the old plain rule:
    # the chain holds, but the report says that none of it is signed.
    write(workspace.id, 2)
    rechain(workspace.id, key=None, key_id=None, edit=_edit)
    assert main(["journal", "verify", "--workspace", str(workspace.id)]) == 0
    assert capsys.readouterr().out == (f"espace {workspace.id} ({workspace.name}) : OK, 3 entrées, "
                                       f"dont 3 non signées (antérieures à la clé du journal)\n")


def test_entries_of_before_the_key_verify_with_the_plain_rule_and_are_counted(workspace, make_user, login):
    write(workspace.id, 2)
    rechain(workspace.id, key=None, key_id=None)  # as the journal was written before this change
    write(workspace.id, 2)  # then the upgraded application goes on, keyed

    report = report_of(workspace.id)

    assert report.ok and report.entries == 5 and report.unkeyed == 3
    assert report.key_ids == [keys.current_key().id]
    page = login(make_user("trainer")).get(f"/workspaces/{workspace.id}/journal").text
    assert "5 entrées vérifiées, dont 3 non signées" in page


def test_an_unkeyed_entry_slipped_in_after_keyed_ones_is_detected(workspace):
    write(workspace.id, 3)
    sql(workspace.id, "UPDATE journal_entry SET key_id = NULL WHERE workspace_id = :ws AND seq = 4")
    report = report_of(workspace.id)
    assert report.broken_seq == 4 and "non signée après des entrées signées" in report.reason


# ===== the key file and its rotation =====================================

@pytest.fixture
def key_files(monkeypatch):
    """The current key from <data dir>/journal_key rather than the variable."""
    monkeypatch.delenv(keys.ENV_VAR)
    return keys.current_file()


def test_the_key_file_is_created_private_on_first_use(key_files, make_workspace):
    workspace = make_workspace()
    assert key_files.exists()
    assert stat.S_IMODE(key_files.stat().st_mode) == 0o600
    assert report_of(workspace.id).key_ids == [keys.current_key().id]
    secret = key_files.read_text().strip()
    assert len(secret) >= 32 and keys.current_key().id not in secret


def test_entries_signed_before_and_after_a_rotation_both_verify(key_files, make_workspace, capsys):
    workspace = make_workspace()
    write(workspace.id, 2)
    old = keys.current_key()

    assert main(["journal", "rotate-key"]) == 0
    out = capsys.readouterr().out
    write(workspace.id, 2)

    new = keys.current_key()
    assert new.id != old.id
    assert f"Ancienne clé {old.id} archivée" in out and f"Nouvelle clé {new.id}" in out
    retired = keys.retired_dir() / f"{old.id}.key"
    assert stat.S_IMODE(retired.stat().st_mode) == 0o600
    assert stat.S_IMODE(keys.retired_dir().stat().st_mode) == 0o700
    report = report_of(workspace.id)
    assert report.ok and report.entries == 5 and report.key_ids == [old.id, new.id]


def test_a_missing_retired_key_is_reported_not_a_crash(key_files, make_workspace, capsys):
    workspace = make_workspace()
    write(workspace.id, 1)
    old = keys.current_key()
    assert main(["journal", "rotate-key"]) == 0
    write(workspace.id, 1)
    os.remove(keys.retired_dir() / f"{old.id}.key")
    capsys.readouterr()

    exit_code = main(["journal", "verify", "--workspace", str(workspace.id)])

    assert exit_code == 1
    assert capsys.readouterr().out == (
        f"espace {workspace.id} ({workspace.name}) : NON VÉRIFIABLE à partir de l'entrée seq=1 — "
        f"clé du journal « {old.id} » introuvable (ni courante ni dans journal_keys/) : "
        f"vérification impossible à partir de cette entrée\n")


def test_rotating_a_key_set_by_the_variable_archives_it_for_the_operator_to_replace(workspace, monkeypatch,
                                                                                   capsys):
    write(workspace.id, 1)
    old = keys.current_key()

    assert main(["journal", "rotate-key"]) == 0
    assert "ADVSIM_JOURNAL_KEY : donnez-lui une nouvelle valeur" in capsys.readouterr().out
    monkeypatch.setenv(keys.ENV_VAR, "the-operator-set-a-new-journal-key")
    write(workspace.id, 1)

    report = report_of(workspace.id)
    assert report.ok and report.key_ids == [old.id, keys.current_key().id]
    assert (keys.retired_dir() / f"{old.id}.key").exists()


def test_a_key_too_short_to_be_a_secret_is_refused(monkeypatch):
    monkeypatch.setenv(keys.ENV_VAR, "short")
    with pytest.raises(RuntimeError, match="trop courte"):
        keys.current_key()
