"""Churn and attack runs of `make bench`: the page cache while the newsroom works, and while
outsiders send whatever they like.

    python tests/benchmarks/bench.py --churn-only [--articles 1000] [--churn-seconds 60]

bench.py runs these after its own runs (same data set), or alone with --churn-only. One
gunicorn (4 sync workers, Redis as the cache: $BENCH_REDIS_URL, else the first empty
database of the Redis on 127.0.0.1:6379, flushed before and after), 16 wrk clients reading a
news-like mix (40% front page, 30% ten hot articles, 20% a hundred others, 10% older
articles and tag pages), in three rows:
- churn (--churn-seconds, in 6 slices): meanwhile (a) a reader comments on a hot article
  every 2 s, (b) an author saves a draft every 5 s, (c) an editor edits a hot article's dek
  every 30 s, (d) an editor publishes a prepared draft every 60 s, all through the real
  forms (writers.py); each public change is polled on its article page and the front page
  every 50 ms until it shows;
- attack (120 s of reads): each kind of outsider request of attack.py at 5 a second, in
  the even seconds of the clock only;
- quiet: reads alone, in the slices alternating with the churn run's (A Q Q A A Q ...) and
  in the odd seconds of the attack run.
"% quiet" compares each with the reads alone beside its own: this machine's speed drifts by
a tenth or more within a minute, more than what is measured here. An outsider's request is
answered in milliseconds, so the attack is switched on and off each second within one read
run (no wrk started per slice); a writer's purges cost renders for seconds after it, so the
churn run is in slices of 10 s.
Each run starts after one read of every page of the mix. The hit ratio counts the
X-Page-Cache header of every answer (in wrk's Lua). Loopback only; bounded in time (wrk
stops, writers and attackers stop with it, pollers give up after 20 s).
"""

import os
import secrets
import statistics
import sys
import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import attack, writers  # noqa: E402
from tests.benchmarks.bench import CLIENTS, WARM_UP, WORKERS, wrk  # noqa: E402
from tests.benchmarks.serve import gunicorn  # noqa: E402

# What the server needs so that a bench reader's comment shows at once: no wait before
# posting, no moderation, no per-address limit (every client is 127.0.0.1), no closing.
SERVER_ENV = {
    "PAGE_CACHE": "1",
    "COMMENTS_MIN_SECONDS": "0",
    "COMMENTS_MODERATION": "none",
    "COMMENTS_CLOSE_AFTER_DAYS": "0",
    "COMMENTS_RATE_PER_MINUTE": "100000",
    "COMMENTS_RATE_PER_HOUR": "100000",
}
# (label, seconds between two, seconds before the first): the newsroom.
SCHEDULE = {
    "comment": ("(a) comment on a hot article", 2, 1),
    "draft": ("(b) author saves a draft", 5, 2.5),
    "edit": ("(c) editor edits a hot article's dek", 30, 5),
    "publish": ("(d) editor publishes a draft", 60, 10),
}
ATTACK_RATE = 5  # requests a second of each kind
# The churn run's --churn-seconds in slices, each beside a slice of reads alone (in the
# order A Q Q A A Q ...).
CHURN_SLICES = 6
ATTACK_SECONDS = 120


def is_attack_second(second: int) -> bool:
    """The seconds of the clock in which the outsiders send (the others are the readers')."""
    return second % 2 == 0


def bench_redis_url() -> str | None:
    """$BENCH_REDIS_URL, else the first empty database of the local Redis; flushed.
    None when no Redis answers."""
    import redis

    url = os.environ.get("BENCH_REDIS_URL")
    try:
        if not url:
            for number in range(15, 0, -1):
                candidate = f"redis://127.0.0.1:6379/{number}"
                if not redis.Redis.from_url(candidate).dbsize():
                    url = candidate
                    break
            else:
                sys.exit("no empty Redis database on 127.0.0.1:6379: set BENCH_REDIS_URL")
        redis.Redis.from_url(url).flushdb()
    except redis.ConnectionError:
        return None
    return url


def cast(password: str, publications: int) -> dict:
    """The people and pages of the runs, chosen from the data set (users made here)."""
    from django.contrib.auth.models import Group, User
    from django.db.models import Count
    from taggit.models import Tag

    from articles.models import Article, Author, Byline
    from articles.roles import AUTHORS, EDITORS
    from articles.services import article_checklist_for, checklist_failures

    def staff(username, group):
        user = User.objects.create_user(username, password=password, is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        return user

    editor, author = staff("bench-editor", EDITORS), staff("bench-author", AUTHORS)
    profile = Author.objects.create(user=author, name="Bench Author")
    live = Article.objects.published().order_by("-published_at", "-id")
    newest = list(live.filter(comments_open=True)[:110])
    rest = list(live.exclude(pk__in=[a.pk for a in newest]))
    older = rest[:: max(1, len(rest) // 50)][:50]  # spread over the archive, the same each run
    # The most used tags of live articles (a tag only drafts carry answers 404).
    tags = (
        Tag.objects.filter(articles_taggedarticle_items__content_object__in=live)
        .annotate(uses=Count("articles_taggedarticle_items"))
        .order_by("-uses", "slug")[:25]
    )
    drafts = Article.objects.filter(status=Article.Status.DRAFT).order_by("id")
    ready = [d for d in drafts if not checklist_failures(article_checklist_for(d))]
    to_publish, own = ready[:publications], [d for d in drafts if d not in ready[:publications]][:5]
    for draft in own:
        Byline.objects.create(article=draft, author=profile, order=0)
    return {
        "hot": [a.get_absolute_url() for a in newest[:10]],
        "hot_pks": [a.pk for a in newest[:10]],
        "others": [a.get_absolute_url() for a in newest[10:110]],
        "older": [a.get_absolute_url() for a in older],
        "tags": [f"/tags/{t.slug}/" for t in tags],
        "own_drafts": [d.pk for d in own],
        "to_publish": [(d.pk, d.get_absolute_url()) for d in to_publish],
        "editor": editor.username,
        "author": author.username,
    }


def read_mix(people: dict) -> list[str]:
    """1,000 slots, each a path: 40% front, 30% hot, 20% others, 10% older and tags."""

    def spread(paths, slots):
        return [paths[i % len(paths)] for i in range(slots)]

    # A small data set may have no older article: tag pages take their share then.
    tail = [paths for paths in (people["older"], people["tags"]) if paths]
    return (
        ["/"] * 400
        + spread(people["hot"], 300)
        + spread(people["others"], 200)
        + [path for paths in tail for path in spread(paths, 100 // len(tail))]
    )


def lua_mix(path: Path, slots: list[str], counts: Path) -> Path:
    """A wrk script reading `slots` at random, counting answers by second of the clock and
    X-Page-Cache into `counts`."""
    listed = ", ".join(f'"{u}"' for u in slots)
    path.write_text(f"""local paths = {{{listed}}}
local threads, made = {{}}, 0
function setup(thread)
  made = made + 1
  thread:set("id", made)
  table.insert(threads, thread)
end
function init(args)
  math.randomseed(id * 7919)
  counts = {{}}
end
function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
function response(status, headers, body)
  local key = os.time() .. " " .. (headers["X-Page-Cache"] or headers["x-page-cache"] or "none")
  counts[key] = (counts[key] or 0) + 1
end
function done(summary, latency, requests)
  local total = {{}}
  for _, thread in ipairs(threads) do
    for key, n in pairs(thread:get("counts")) do total[key] = (total[key] or 0) + n end
  end
  local out = io.open("{counts}", "w")
  for key, n in pairs(total) do out:write(key, " ", n, "\\n") end
  out:close()
end
""")
    return path


def read(base: str, seconds: int, script: Path, counts: Path) -> dict:
    """One wrk run of the mix: bench.wrk's figures plus the answers by X-Page-Cache, in all
    (`states`) and in each second of the clock (`by_second`)."""
    load = Path("/proc/loadavg").read_text().split()[0]
    result = {**wrk(base + "/", seconds, script=script), "load": load}
    result["by_second"] = answers_by_second(counts)
    result["states"] = dict(sum(result["by_second"].values(), Counter()))
    result["seconds"] = result["requests"] / result["rps"] if result["rps"] else seconds
    return result


def answers_by_second(counts: Path) -> dict[int, Counter]:
    """What the wrk script counted: {second of the clock: answers by X-Page-Cache}, in order."""
    by_second: dict = {}
    for line in counts.read_text().splitlines():
        second, state, n = line.split()
        by_second.setdefault(int(second), Counter())[state] += int(n)
    return dict(sorted(by_second.items()))


def split_seconds(run: dict, busy) -> tuple[dict, dict, list[float]]:
    """One read run as two rows: its whole seconds where `busy(second)` and the others (the
    partial first and last left out, a second with no answer counted), and the ratio of each
    busy second to the next. wrk gives no latency by second: the busy row has the whole run's
    p50 and p99, the other none, and the run's errors count against the busy seconds."""
    first, last = min(run["by_second"]), max(run["by_second"])
    seconds = [(s, run["by_second"].get(s, Counter())) for s in range(first + 1, last)]

    def row(chosen):
        states = sum((counts for _, counts in chosen), Counter())
        requests = sum(states.values())
        return {**run, "requests": requests, "rps": requests / len(chosen),
                "seconds": len(chosen), "slices": len(chosen), "states": dict(states)}  # fmt: skip

    on = [(s, c) for s, c in seconds if busy(s)]
    off = [(s, c) for s, c in seconds if not busy(s)]
    totals = {s: c.total() for s, c in seconds}
    pairs = [totals[s] / totals[s + 1] for s, _ in on if totals.get(s + 1)]
    return row(on), {**row(off), "p50": None, "p99": None, "errors": 0}, pairs


def pooled(slices: list[dict]) -> dict:
    """Several reads as one row: requests over seconds in all; p50 is the middle slice's, p99
    the highest slice's, of the slices that have them (wrk gives no pooled distribution);
    load is the first slice's."""
    seconds = sum(r["seconds"] for r in slices)
    timed = [r for r in slices if r["p50"] is not None]
    states: dict = {}
    for r in slices:
        for state, n in r["states"].items():
            states[state] = states.get(state, 0) + n
    return {
        "rps": sum(r["requests"] for r in slices) / seconds,
        "seconds": seconds,
        "p50": sorted(r["p50"] for r in timed)[len(timed) // 2],
        "p99": max(r["p99"] for r in timed),
        "errors": sum(r["errors"] for r in slices),
        "states": states,
        "load": slices[0]["load"],
        "slices": sum(r.get("slices", 1) for r in slices),
    }


def prime(base: str, paths: list[str]) -> None:
    """Read every page of the mix once, so that each run starts with the cache full."""
    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(lambda p: attack.send(base, "GET", p, None, {}), sorted(set(paths))))


def alternate(base, actors: list, slices: int, seconds: int, script, counts) -> tuple:
    """`slices` reads of `seconds` with `actors` at work, each beside one of reads alone, in
    the order A Q Q A A Q ...: (the slices with them, the slices alone), pair by pair."""
    busy, alone = [], []
    for n in range(slices):
        order = [(actors, busy), ([], alone)]
        for who, into in order if n % 2 == 0 else order[::-1]:
            into.append(during(base, seconds, script, counts, who))
    return busy, alone


def ratios(busy: list[dict], alone: list[dict]) -> list[float]:
    return [b["rps"] / a["rps"] for b, a in zip(busy, alone, strict=True)]


def during(base: str, seconds: int, script: Path, counts: Path, actors: list) -> dict:
    """A read run while `actors` (objects with run(stop)) do their work."""
    stop = threading.Event()
    threads = [threading.Thread(target=a.run, args=(stop,), daemon=True) for a in actors]
    for thread in threads:
        thread.start()
    try:
        return read(base, seconds, script, counts)
    finally:
        stop.set()
        for thread in threads:
            thread.join(35)


def newsroom(base: str, people: dict, password: str) -> list:
    """The four writers of the churn run, signed in."""
    run_id = uuid.uuid4().hex[:8]
    editor = writers.login(base, people["editor"], password)
    author = writers.login(base, people["author"], password)
    hot, drafts, ready = people["hot"], people["own_drafts"], people["to_publish"]

    def edited(n):
        return f"Churn edit {n} {run_id}: what we know so far"

    def edit_shows(n):
        path, test = hot[n % len(hot)], writers.shows(edited(n))
        return {"article": (base, path, test), "front": (base, "/", test)}

    def publication_shows(n):
        path = ready[n][1]
        return {
            "article": (base, path, lambda status, html: status == 200),
            "front": (base, "/", lambda status, html: status == 200 and f'href="{path}"' in html),
        }

    acts = {
        "comment": writers.comment_writer(base, hot),
        "draft": writers.change_form_writer(
            author,
            pk_for=lambda n: drafts[n % len(drafts)],
            changes_for=lambda n: {"dek": f"Draft dek, revision {n} {run_id}"},
            checks_for=lambda n: {},  # nothing public changes
        ),
        "edit": writers.change_form_writer(
            editor,
            pk_for=lambda n: people["hot_pks"][n % len(hot)],
            changes_for=lambda n: {"dek": edited(n), "change_note": "New dek"},
            checks_for=edit_shows,
        ),
        "publish": writers.change_form_writer(
            editor,
            pk_for=lambda n: ready[n][0],
            changes_for=lambda n: {
                "status": "published",
                "published_at_0": "",
                "published_at_1": "",
            },
            checks_for=publication_shows,
        ),
    }
    return [
        writers.Writer(*SCHEDULE[k], acts[k], crowd=k == "comment")  # many readers comment
        for k in SCHEDULE
    ]


def run(env: dict, workdir: Path, *, churn_seconds: int = 60) -> str:
    """The three runs on the data set in `env` (Django set up on it); the report's text."""
    redis_url = bench_redis_url()
    if not redis_url:
        return (
            "\nchurn and attack runs skipped: they need Redis (127.0.0.1:6379 or $BENCH_REDIS_URL)"
        )
    password = secrets.token_urlsafe(12)
    people = cast(password, publications=churn_seconds // SCHEDULE["publish"][1] + 1)
    slots = read_mix(people)
    counts = workdir / "churn-counts.txt"
    script = lua_mix(workdir / "churn.lua", slots, counts)
    server_env = {**env, **SERVER_ENV, "REDIS_URL": redis_url}
    try:
        with gunicorn("newsroom.wsgi", server_env, workers=WORKERS) as (base, _):
            prime(base, slots)
            wrk(base + "/", WARM_UP, script=script)
            newsroom_at_work = newsroom(base, people, password)
            prime(base, slots)
            each = max(1, churn_seconds // CHURN_SLICES)
            churned, beside_churn = alternate(
                base, newsroom_at_work, CHURN_SLICES, each, script, counts
            )
            for writer in newsroom_at_work:
                writer.join_pollers()
            outsiders = [
                attack.Attacker(base, label, make, ATTACK_RATE, at_work=is_attack_second)
                for label, make in attack.kinds(
                    people["hot"], people["hot_pks"][0], people["editor"]
                ).items()
            ]
            prime(base, slots)
            attack_run = during(base, ATTACK_SECONDS, script, counts, outsiders)
    finally:
        import redis

        redis.Redis.from_url(redis_url).flushdb()
    attacked, beside_attack, attack_pairs = split_seconds(attack_run, is_attack_second)
    rows = {  # each with the reads alone it is compared with
        "quiet": (pooled([*beside_churn, beside_attack]), None),
        "churn": (pooled(churned), pooled(beside_churn)),
        "attack": (pooled([attacked]), beside_attack),
    }
    pairs = {"churn": ratios(churned, beside_churn), "attack": attack_pairs}
    return report(env, rows, pairs, newsroom_at_work, outsiders)


def _ms(values: list[float], pct: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * pct / 100))] * 1000 if values else 0.0


def _visible(writes: list, page: str) -> str:
    times = [w.visible[page] for w in writes if page in w.visible]
    seen = [t for t in times if t is not None]
    if not times:
        return "-"
    text = f"{_ms(seen, 50):.0f} / {max(seen) * 1000:.0f}" if seen else "never"
    missed = len(times) - len(seen)
    return text + (f" ({missed} not in {writers.VISIBLE_TIMEOUT:.0f} s)" if missed and seen else "")


def report(env, rows: dict, pairs: dict, newsroom_at_work, outsiders) -> str:
    from articles.models import Article

    engine = "PostgreSQL" if "DATABASE_URL" in env else "SQLite"
    lines = [
        f"\nchurn and attack: {Article.objects.published().count():,} published articles, "
        f"{engine}, Redis, {WORKERS} gunicorn sync workers, {CLIENTS} clients, "
        "reads: 40% front, 30% 10 hot articles, 20% 100 others, 10% older and tags",
        f"{'run':<7} {'secs':>4} {'slices':>6} {'req/s':>7} {'% quiet':>8} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'errors':>6} {'hit %':>6} {'hits':>7} {'stale':>6} {'misses':>6} {'other':>6} {'load before':>11}",
    ]
    for name, (r, alone) in rows.items():
        alone = alone or r
        states = dict(r["states"])
        hits, stale, misses = states.pop("hit", 0), states.pop("stale", 0), states.pop("miss", 0)
        total = max(1, hits + stale + misses + sum(states.values()))
        lines.append(
            f"{name:<7} {r['seconds']:>4.0f} {r['slices']:>6} {r['rps']:>7.0f} "
            f"{100 * r['rps'] / alone['rps']:>7.1f}% "
            f"{r['p50']:>7.1f} {r['p99']:>7.1f} {r['errors']:>6} {100 * (hits + stale) / total:>5.1f}% "
            f"{hits:>7} {stale:>6} {misses:>6} {sum(states.values()):>6} {r['load']:>11}"
        )
    for name, each in pairs.items():
        low, middle, high = statistics.quantiles(each, n=4)
        lines.append(
            f"{name}, each slice against the reads alone beside it ({len(each)} pairs): "
            f"median {100 * middle:.1f}%, middle half {100 * low:.1f}–{100 * high:.1f}%"
        )
    lines += [
        "",
        f"{'writes during the churn run':<38} {'done':>4} {'refused':>7} {'write p50 ms':>12}  "
        f"{'visible on its page p50/max ms':<32} {'on the front page p50/max ms'}",
    ]
    for writer in newsroom_at_work:
        w = writer.writes
        refused = [x for x in w if x.status != 302]
        front = _visible(w, "front") if "comment" not in writer.label else "- (counts lag <= 60 s)"
        lines.append(
            f"{writer.label:<38} {len(w):>4} {len(refused):>7} "
            f"{_ms([x.post_s for x in w], 50):>12.0f}  {_visible(w, 'article'):<32} {front}"
        )
        for x in refused[:2]:
            lines.append(f"    refused ({x.status}): {x.error}")
    lines += ["", f"attack run, each kind at {ATTACK_RATE} a second (in its even seconds):"]
    for a in outsiders:
        answers = ", ".join(
            f"{status or 'no answer'}: {n}" for status, n in sorted(a.statuses.items())
        )
        lines.append(
            f"  {a.label:<44} {sum(a.statuses.values()):>4} sent, p50 {_ms(a.seconds, 50):>6.1f} ms, "
            f"p99 {_ms(a.seconds, 99):>6.1f} ms; {answers}"
        )
    return "\n".join(lines)
