"""The README's event library lists every event kind the code knows (one line each)."""
from pathlib import Path

from sim.scenario.events import registry


def test_every_event_kind_has_its_line_in_the_readme():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    missing = [kind for kind in registry() if f"| `{kind}` |" not in readme]
    assert missing == []
