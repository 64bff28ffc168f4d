"""Time and peak memory of `import_wordpress` on a generated export (run by hand).

    python tests/benchmarks/import_bench.py [--posts 10000] [--comments 10]

PostgreSQL when DATABASE_URL is set (`scripts/with_postgres.sh` finds one), SQLite otherwise;
the import runs in a fresh database (`newsroom_bench`) and a temporary folder.
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests import wxr  # noqa: E402
from tests.benchmarks.bench import bench_database_url, manage  # noqa: E402
from tests.benchmarks.serve import ROOT  # noqa: E402

BODY = (
    """<!-- wp:paragraph --><p>Paragraph {n} about the launch, citing
<a href="https://www.bbc.com/news/{n}">the BBC</a> and <a href="https://www.reuters.com/{n}">Reuters</a>.</p>
<!-- /wp:paragraph -->

<h2>Heading {n}</h2>

Classic paragraph with a line
break and more text. """
    + "Words " * 150
)


def write_export(path: Path, posts: int, comments: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(wxr.HEAD)
        for login, name in [
            ("aiko", "Aiko Tanaka"),
            ("ben", "Ben Carter"),
            ("chloe", "Chloe Dubois"),
        ]:
            out.write(wxr.author(login, name))
        out.write(wxr.category("asia", "Asia"))
        for n in range(1, posts + 1):
            thread = [
                wxr.comment(n * 100 + k, f"Reader {k}", f"Comment {k} on post {n}.",
                            parent=str(n * 100 + k - 1) if k % 3 == 2 else "0")
                for k in range(1, comments + 1)
            ]  # fmt: skip
            out.write(
                wxr.item(
                    n,
                    f"Story number {n}",
                    content=BODY.format(n=n),
                    creator=["aiko", "ben", "chloe"][n % 3],
                    categories=[("asia", "Asia")],
                    tags=[("north-korea", "North Korea"), (f"t{n % 50}", f"Topic {n % 50}")],
                    comments=thread,
                )
            )
        out.write("</channel>\n</rss>\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=10, help="comments per post")
    opts = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-import-bench-"))
    # As production runs: image renditions and share cards are queued for db_worker
    # (the immediate backend would draw 10,000 share cards inside the command).
    env = {
        "SECRET_KEY": "benchmark-only",
        "DEBUG": "0",
        "VAR_DIR": str(workdir),
        "LOG_LEVEL": "WARNING",
        "TASKS_BACKEND": "database",
    }
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = bench_database_url(os.environ["DATABASE_URL"])
    try:
        export = workdir / "export.xml"
        write_export(export, opts.posts, opts.comments)
        manage(env, "migrate", "--noinput", "-v0")
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "manage.py", "import_wordpress", str(export)],
            cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, check=True,
        )  # fmt: skip
        seconds = time.monotonic() - started
        # The largest resident size of any finished child: migrate's is far smaller than the import's.
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(next(line for line in result.stdout.splitlines() if line.startswith("Created:")))
        engine = "PostgreSQL" if "DATABASE_URL" in env else "SQLite"
        print(f"{opts.posts:,} posts, {opts.posts * opts.comments:,} comments, "
              f"{export.stat().st_size / 1e6:.0f} MB export, {engine}: "
              f"{seconds:.1f} s, peak memory {peak_mb:.0f} MB")  # fmt: skip
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
