"""A room from a list of names: accounts with one-time passwords printed on a
PDF sheet; the one-time password opens only the page that replaces it."""
from __future__ import annotations

import re
import subprocess

from sim.db import get_engine
from sim.exam.roster import add_candidates, login_sheet, read_roster


def test_names_are_read_as_csv_or_as_first_and_last_name():
    errors = {}
    assert read_roster("nom;prénom\nMartin;Léa\nDurand;Paul", errors) == [("Léa", "Martin"), ("Paul", "Durand")]
    assert read_roster("Jean-Pierre Le Goff", errors) == [("Jean-Pierre Le", "Goff")]
    assert errors == {}
    assert read_roster("Martin;", errors) == [] and "Ligne 1" in errors["roster"]


def test_the_sheet_gives_one_time_passwords_that_open_only_the_password_page(make_user, login, app):
    from sim.exam.service import create_session

    [lea, lea_again] = add_candidates(get_engine(), [("Léa", "Martinez-Élie"), ("Léa", "Martinez-Élie")])
    assert lea.username == "lea.martinez-elie" and lea_again.username == "lea.martinez-elie2"
    assert lea.must_change_password
    session_id = create_session(get_engine(), actor=make_user("trainer"), title="Groupe A", scenario_name="non-payment",
                                candidate_ids=[lea.id, lea_again.id])
    filename, pdf = login_sheet(get_engine(), session_id)
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert filename == f"Identifiants_session_{session_id}.pdf" and "lea.martinez-elie2" in text
    password = re.search(r"lea\.martinez-elie\s+([a-z2-9]{10})", text).group(1)

    browser = login(lea, password=password)
    page = browser.get("/inbox")
    assert page.status_code == 303 and page.headers["location"] == "/account/password"
    changed = browser.post("/account/password", {"current_password": password, "new_password": "à moi enfin",
                                                  "confirm_password": "à moi enfin"})
    assert changed.status_code == 303
    assert browser.get("/inbox").status_code == 200
