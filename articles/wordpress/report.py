"""What an import did, per kind of item: what the file held, what was imported, what was
skipped and why, what a reader would see changed, and which old addresses will not redirect."""

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field


@dataclass
class ImportReport:
    created: Counter = field(default_factory=Counter)  # rows made here, by kind
    in_file: Counter = field(default_factory=Counter)  # kind -> items in the export
    imported: Counter = field(default_factory=Counter)  # kind -> items imported
    skipped: defaultdict = field(default_factory=lambda: defaultdict(Counter))  # kind -> why
    changes: list[dict] = field(default_factory=list)  # {"item", "url", "change"}
    not_redirected: list[dict] = field(default_factory=list)  # {"url", "why"}
    suggestions: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    saved_files: list[str] = field(default_factory=list)

    def seen(self, kind: str, n: int = 1):
        self.in_file[kind] += n

    def done(self, kind: str, n: int = 1):
        self.imported[kind] += n

    def skip(self, kind: str, why: str, n: int = 1):
        self.skipped[kind][why] += n

    def changed(self, item: str, change: str, url: str = ""):
        self.changes.append({"item": item, "url": url, "change": change})

    def no_redirect(self, url: str, why: str):
        self.not_redirected.append({"url": url, "why": why})

    def kinds(self) -> list[dict]:
        names = list(dict.fromkeys([*self.in_file, *self.imported, *self.skipped]))
        return [
            {
                "kind": kind,
                "in_file": self.in_file[kind],
                "imported": self.imported[kind],
                "skipped": dict(sorted(self.skipped[kind].items())),
            }
            for kind in names
        ]

    def as_dict(self) -> dict:
        return {
            "kinds": self.kinds(),
            "created": dict(self.created),
            "changes": self.changes,
            "not_redirected": self.not_redirected,
            "suggestions": self.suggestions,
            "warnings": self.warnings,
        }

    def write_json(self, path):
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(self.as_dict(), handle, ensure_ascii=False, indent=2)

    def summary(self) -> str:
        created = ", ".join(f"{n} {what}" for what, n in self.created.items() if n) or "nothing"
        lines = [f"Created: {created}."]
        for row in self.kinds():
            skipped = sum(row["skipped"].values())
            why = "; ".join(f"{n} {reason}" for reason, n in row["skipped"].items())
            lines.append(
                f"{row['kind']}: {row['in_file']} in the file, {row['imported']} imported"
                + (f", {skipped} skipped ({why})" if skipped else "")
                + "."
            )
        skips = Counter()
        for reasons in self.skipped.values():
            skips.update(reasons)
        lines += [f"Skipped {n}: {why}." for why, n in sorted(skips.items())]
        if self.changes:
            by_change = Counter(re.split(r":| \(", c["change"])[0] for c in self.changes)
            items = len({c["item"] for c in self.changes})
            lines.append(
                f"Changed in a way readers will notice: {len(self.changes)} changes to {items} items."
            )
            lines += [f"  {n} x {change}" for change, n in by_change.most_common()]
        if self.not_redirected:
            lines.append(f"Old URLs that will not redirect: {len(self.not_redirected)}.")
            lines += [f"  {row['url']}: {row['why']}" for row in self.not_redirected]
        lines += [f"Suggestion: {s}" for s in self.suggestions]
        lines += [f"Warning: {w}" for w in self.warnings]
        return "\n".join(lines)
