"""Tags typed in the admin are separated by commas only, as in WordPress and Wagtail:
"North Korea" is one tag, not two (taggit's default splits on spaces too)."""


def comma_splitter(text: str) -> list[str]:
    return sorted({tag.strip() for tag in (text or "").split(",") if tag.strip()})


def comma_joiner(tags) -> str:
    return ", ".join(sorted(tag.name for tag in tags))
