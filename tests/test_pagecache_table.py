"""The "what purges what" table: printed from the triggers' declarations, shown in the README."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command

README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_readme_shows_the_table_that_purge_table_prints():
    out = StringIO()
    call_command("purge_table", stdout=out)
    table = out.getvalue().strip()
    assert "| An edit of a published article | `a<pk>`" in table
    assert "| An editorial note | nothing | |" in table
    assert table in README.read_text(), "run manage.py purge_table and paste it in the README"
