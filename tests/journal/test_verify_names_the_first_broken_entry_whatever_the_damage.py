"""`advsim journal verify` and the trainers' page name the first broken entry,
whatever was done to the rows, and never stop on a damaged one."""
from __future__ import annotations

import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError

from sim.cli import main
from tests.journal.chain_tools import on_postgresql, report_of, sql, write

ROW = "WHERE workspace_id = :ws AND seq = 3"


@pytest.fixture
def chain(workspace):
    """A workspace whose journal holds entries 1 (the seed) to 5."""
    write(workspace.id, 4)
    assert report_of(workspace.id).ok
    return workspace


def _broken(workspace_id: int, seq: int, reason_part: str) -> None:
    report = report_of(workspace_id)
    assert not report.ok
    assert report.broken_seq == seq, report.reason
    assert reason_part in report.reason


def test_an_edited_entry_is_named(chain):
    sql(chain.id, f"UPDATE journal_entry SET actor = 'candidate:someone-else' {ROW}")
    _broken(chain.id, 3, "contenu modifié")


def test_a_deleted_entry_is_named_as_the_gap(chain):
    sql(chain.id, f"DELETE FROM journal_entry {ROW}")
    _broken(chain.id, 3, "entrée 3 manquante (trouvé 4)")


def test_two_swapped_entries_are_named(chain):
    sql(chain.id,
        "UPDATE journal_entry SET seq = -3 WHERE workspace_id = :ws AND seq = 3",
        "UPDATE journal_entry SET seq = 3 WHERE workspace_id = :ws AND seq = 4",
        "UPDATE journal_entry SET seq = 4 WHERE workspace_id = :ws AND seq = -3")
    _broken(chain.id, 3, "prev_hash ne correspond pas")


@pytest.mark.parametrize("column", ["refs", "payload"])
def test_invalid_json_is_named(chain, column, database_url):
    statement = f"UPDATE journal_entry SET {column} = '{{\"amount\": ' {ROW}"
    if on_postgresql(database_url):
        with pytest.raises(DBAPIError):
            sql(chain.id, statement)
        pytest.skip("PostgreSQL's json type refuses invalid JSON: the database stops this damage itself")
    sql(chain.id, statement)
    _broken(chain.id, 3, f"{column} n'est pas du JSON valide")


def test_a_float_in_a_payload_is_named(chain):
    sql(chain.id, f"UPDATE journal_entry SET payload = '{{\"amount\": 12.5, \"i\": 1}}' {ROW}")
    _broken(chain.id, 3, "payload contient un nombre à virgule flottante (12.5)")


def test_a_payload_that_is_not_an_object_is_named(chain):
    sql(chain.id, f"UPDATE journal_entry SET payload = 'null' {ROW}")
    _broken(chain.id, 3, "payload n'est pas un objet JSON")


@pytest.mark.parametrize("column", ["sim_time", "wall_time"])
def test_a_time_that_is_not_one_is_named(chain, column, database_url):
    statement = f"UPDATE journal_entry SET {column} = 'lundi matin' {ROW}"
    if on_postgresql(database_url):
        with pytest.raises(DBAPIError):
            sql(chain.id, statement)
        pytest.skip("PostgreSQL's timestamp types refuse a value that is not a time")
    sql(chain.id, statement)
    _broken(chain.id, 3, f"{column} illisible : « lundi matin »")


def test_a_moved_time_is_named(chain):
    sql(chain.id, f"UPDATE journal_entry SET sim_time = '2020-01-01 08:00:00' {ROW}")
    _broken(chain.id, 3, "contenu modifié")


def test_a_removed_key_id_is_named(chain):
    sql(chain.id, f"UPDATE journal_entry SET key_id = NULL {ROW}")
    _broken(chain.id, 3, "entrée non signée après des entrées signées")


def test_an_unknown_key_id_is_named(chain):
    sql(chain.id, f"UPDATE journal_entry SET key_id = 'feedfacefeedface' {ROW}")
    report = report_of(chain.id)
    assert report.broken_seq == 3 and report.missing_key == "feedfacefeedface"
    assert "introuvable" in report.reason


@pytest.mark.parametrize("column", ["sim_time", "actor", "refs", "payload", "hash"])
def test_no_null_can_replace_a_value_on_either_database(chain, column):
    # So verify never meets one; it would still name it ("… vide") if a schema allowed it.
    with pytest.raises(IntegrityError):
        sql(chain.id, f"UPDATE journal_entry SET {column} = NULL {ROW}")
    assert report_of(chain.id).ok


def test_the_cli_names_the_broken_workspace_and_goes_on_with_the_others(make_workspace, capsys, database_url):
    damaged, untouched = make_workspace(), make_workspace()
    write(damaged.id, 3)
    write(untouched.id, 2)
    sql(damaged.id, f"UPDATE journal_entry SET payload = '{{\"amount\": 1.5}}' {ROW}")
    if not on_postgresql(database_url):
        # a second damaged chain whose rows do not even parse as JSON
        other = make_workspace()
        write(other.id, 3)
        sql(other.id, f"UPDATE journal_entry SET refs = 'not json', sim_time = 'x' {ROW}")

    exit_code = main(["journal", "verify"])

    lines = capsys.readouterr().out.splitlines()
    assert exit_code == 1
    mine = [line for line in lines if line.startswith(f"espace {damaged.id} (")]
    assert mine == [f"espace {damaged.id} ({damaged.name}) : ROMPU à l'entrée seq=3 — payload contient "
                    f"un nombre à virgule flottante (1.5) : le journal n'enregistre que des valeurs exactes "
                    f"(montants en texte)"]
    assert [line for line in lines if line.startswith(f"espace {untouched.id} (")] == [
        f"espace {untouched.id} ({untouched.name}) : OK, 3 entrées"]
    if not on_postgresql(database_url):
        [line] = [line for line in lines if line.startswith(f"espace {other.id} (")]
        assert "ROMPU à l'entrée seq=3 — sim_time illisible" in line


def test_the_cli_exits_zero_when_the_chain_holds(chain, capsys):
    assert main(["journal", "verify", "--workspace", str(chain.id)]) == 0
    assert capsys.readouterr().out == f"espace {chain.id} ({chain.name}) : OK, 5 entrées\n"


def test_the_trainers_page_shows_the_break_without_failing(chain, make_user, login, database_url):
    sql(chain.id, f"UPDATE journal_entry SET payload = '{{\"amount\": 2.5}}' {ROW}")
    if not on_postgresql(database_url):
        sql(chain.id, "UPDATE journal_entry SET refs = '{oops', wall_time = 'hier' "
                      "WHERE workspace_id = :ws AND seq = 4")
    browser = login(make_user("trainer"))

    response = browser.get(f"/workspaces/{chain.id}/journal")

    assert response.status_code == 200
    assert "Chaîne rompue à l'entrée n° 3 : payload contient un nombre à virgule flottante" in response.text
    assert "Entrée illisible" in response.text
    filtered = browser.get(f"/workspaces/{chain.id}/journal?kind=call.", headers={"HX-Request": "true"})
    assert filtered.status_code == 200 and "Entrée illisible" in filtered.text


def test_json_nested_too_deep_to_read_is_named(chain):
    nested = '{"a":' * 5000 + "1" + "}" * 5000
    sql(chain.id, f"UPDATE journal_entry SET payload = :nested {ROW}", nested=nested)
    _broken(chain.id, 3, "payload n'est pas du JSON valide")
