"""The demo's words: sections, sources, authors, stories and comments (no network needed)."""

from django.utils.text import slugify

from articles.models import Byline

SECTIONS = ["World", "Asia", "Security", "Politics", "Opinion", "Science"]

MOD, UNSC = "https://www.mod.go.jp/en/", "https://www.un.org/securitycouncil/"
NHK, YONHAP = "https://www3.nhk.or.jp/nhkworld/", "https://en.yna.co.kr/"
SOURCES = [  # name, homepage, kind, description
    ("BBC News", "https://www.bbc.com/news", "outlet", "British public broadcaster."),
    ("Reuters", "https://www.reuters.com/", "outlet", "International news agency."),
    ("NHK World-Japan", NHK, "outlet", "English service of Japan's public broadcaster."),
    ("Kyodo News", "https://english.kyodonews.net/", "outlet", "Japanese news agency."),
    ("Yonhap News Agency", YONHAP, "outlet", "South Korean news agency."),
    ("Japan Ministry of Defense", MOD, "government", "Publishes data on each launch."),
    ("UN Security Council", UNSC, "intergovernmental", "Oversees the sanctions regime."),
    ("38 North", "https://www.38north.org/", "academic", "Analysis of North Korea."),
]

AUTHORS = [  # name, role, bio, avatar colour
    ("Aiko Tanaka", "Tokyo correspondent", "Covers Japanese politics and defence.", "#1d4e89"),
    ("Min-jun Park", "Seoul correspondent", "Reports on the Korean peninsula.", "#0f766e"),
    ("Daniel Okafor", "Security editor", "Edits coverage of defence and diplomacy.", "#9a3412"),
    ("Sofia Marques", "UN correspondent", "Covers the United Nations in New York.", "#6d28d9"),
    ("Kenji Watanabe", "Science writer", "Writes about space, physics and radar.", "#166534"),
    ("Helen Carter", "Contributing columnist", "Writes a fortnightly column.", "#9d174d"),
]

# Figures in the range Japan's Ministry of Defense has reported for lofted ICBM tests;
# distance is kilometres off the coast, inside the exclusive economic zone.
LAUNCHES = [
    {"missiles": "an intercontinental ballistic missile", "minutes": 73, "apogee": "6,000",
     "distance": 250},
    {"missiles": "what appeared to be a long-range ballistic missile", "minutes": 66,
     "apogee": "5,700", "distance": 200},
    {"missiles": "a solid-fuel ballistic missile", "minutes": 86, "apogee": "7,000",
     "distance": 300},
    {"missiles": "a ballistic missile of intercontinental range", "minutes": 71, "apogee": "6,000",
     "distance": 220},
]  # fmt: skip

R = Byline.Role
STORIES = [
    {
        "section": "Asia",
        "kind": "news",
        "datelines": ["TOKYO", "SAPPORO"],
        "titles": [
            "North Korea fires ballistic missile into waters off Japan",
            "Tokyo protests after North Korean missile falls inside Japan's economic zone",
            "J-Alert sounds in northern Japan as Pyongyang launches missile",
            "North Korea launches missile toward the Sea of Japan, Tokyo says",
            "Japan lodges protest over latest North Korean missile test",
        ],
        "dek": "The missile flew for about {minutes} minutes before falling into the sea west of "
        "Hokkaido, Japan's defence ministry said.",
        "body": f"""<h2>What happened</h2>
<p>North Korea launched {{missiles}} from near Pyongyang early on {{weekday}}, according to \
<a href="{MOD}">Japan's Ministry of Defense</a>. The missile flew for about {{minutes}} minutes, \
reached an altitude of roughly {{apogee}} kilometres and came down some {{distance}} kilometres \
west of Hokkaido, inside Japan's exclusive economic zone.</p>
<p>The government sent a J-Alert warning to residents of northern Japan, urging them to shelter \
in sturdy buildings. The coast guard said there were no reports of damage to ships or aircraft.</p>
<h2>Tokyo's response</h2>
<p>Japan protested through its embassy in Beijing, the usual channel because the two countries \
have no diplomatic relations. South Korea's military said it had tracked the launch and was \
analysing the data with Japan and the United States, <a href="{YONHAP}">Yonhap reported</a>.</p>
<blockquote><p>“Repeated launches threaten the peace and security of Japan, the region and the \
international community. They are absolutely unacceptable.”</p></blockquote>
<p>The statement, read at an evening briefing, echoed the language used after earlier tests.</p>
<h2>What comes next</h2>
<p>Japan is expected to raise the launch at the <a href="{UNSC}">UN Security Council</a>, where \
attempts to tighten sanctions have stalled since 2022.</p>""",
        "tags": ["North Korea", "Japan", "Missiles", "J-Alert", "Tokyo"],
        "bylines": [("Aiko Tanaka", R.REPORTING), ("Min-jun Park", R.ADDITIONAL_REPORTING)],
        "citations": [
            ("Japan Ministry of Defense", "Announcements on North Korea's missile launches"),
            ("Yonhap News Agency", "South Korean military statement on the launch"),
            ("NHK World-Japan", "Live coverage of the J-Alert warning"),
        ],
        "caption": "A missile trail over the Sea of Japan, as imagined by our illustrator.",
    },
    {
        "section": "Security",
        "kind": "analysis",
        "datelines": ["TOKYO"],
        "titles": [
            "What North Korea's latest launch reveals about its missile programme",
            "Pyongyang is testing Japan's defences as much as its missiles",
            "Why North Korea keeps aiming its tests at the Sea of Japan",
            "Solid fuel, shorter warnings: the changing missile threat to Japan",
            "Three lessons from a year of North Korean launches",
        ],
        "dek": "Faster, more mobile missiles leave Japan less time to react. Tokyo's answer is "
        "changing its defence policy.",
        "body": f"""<h2>A faster, harder-to-spot threat</h2>
<p>The missile launched on {{weekday}} flew for {{minutes}} minutes: long enough for Japan's \
radars to follow it, short enough to leave little time for warnings. Analysts say the trend \
matters more than any single test. North Korea is moving toward solid-fuel missiles that can be \
kept ready, hidden and launched at short notice.</p>
<p>Researchers at <a href="https://www.38north.org/">38 North</a> have documented new launch \
sites and vehicles in satellite imagery, suggesting the programme now values survival over \
spectacle.</p>
<h2>Japan's calculation</h2>
<p>Tokyo has expanded its missile defences and committed to acquire long-range counterstrike \
weapons. Critics warn of an arms race; supporters say interception alone can no longer keep \
up.</p>
<blockquote><p>“Every launch also tests how quickly Japan, South Korea and the United States \
share data. That cooperation is the real target.”</p></blockquote>
<p>That view, from a former defence official in Tokyo, is common among analysts who read the \
tests as political signals timed to moments of diplomatic friction.</p>
<h2>What to watch</h2>
<p>The next signs will be whether Pyongyang fires over Japan rather than into the sea, and how \
quickly the <a href="{MOD}">Ministry of Defense</a> publishes its flight data.</p>""",
        "tags": ["North Korea", "Japan", "Missiles", "Defence", "South Korea"],
        "bylines": [("Daniel Okafor", R.REPORTING), ("Aiko Tanaka", R.ADDITIONAL_REPORTING)],
        "citations": [
            ("38 North", "Satellite imagery analysis of launch sites"),
            ("Japan Ministry of Defense", "Defense of Japan white paper"),
        ],
        "caption": "An abstract illustration of a missile's arc.",
    },
    {
        "section": "World",
        "kind": "explainer",
        "datelines": [""],
        "titles": [
            "North Korea's missile programme, explained",
            "What is a ballistic missile, and why does range matter?",
            "What Japan's exclusive economic zone means for missile tests",
            "How J-Alert works: Japan's missile warning system, explained",
            "The UN sanctions on North Korea and why they are hard to enforce",
        ],
        "dek": "Ballistic missiles, lofted trajectories, J-Alert and sanctions: the questions "
        "readers ask after every launch.",
        "body": f"""<h2>What is a ballistic missile?</h2>
<p>A ballistic missile is pushed by a rocket for the first minutes of flight, then coasts on a \
high arc, much of it above the atmosphere. Short-range missiles fly less than 1,000 kilometres; \
intercontinental ones more than 5,500.</p>
<p>North Korea often fires on a lofted trajectory, steeply up and down, so a missile that could \
cross an ocean lands a few hundred kilometres away.</p>
<h2>What is the exclusive economic zone?</h2>
<p>Japan's exclusive economic zone reaches up to 200 nautical miles from its coast. It is not \
Japanese territory, but Japan has rights to fish and resources there, and missiles landing in it \
put ships and aircraft at risk.</p>
<h2>How does J-Alert work?</h2>
<p>When a launch may threaten Japan, the national J-Alert system sends warnings through local \
loudspeakers, television, radio and phones, usually within minutes. <a href="{NHK}">NHK</a> \
interrupts its programmes to carry them.</p>
<blockquote><p>If an alert sounds, go inside a sturdy building or underground. If there is none, \
keep away from windows or lie flat and protect your head.</p></blockquote>
<h2>Why do sanctions not stop the tests?</h2>
<p>UN resolutions ban North Korea's ballistic missile activity, and the \
<a href="{UNSC}">Security Council</a> has restricted its exports and oil imports. Enforcement \
depends on member states, and the council has adopted no new resolution since 2017.</p>""",
        "tags": ["North Korea", "Missiles", "J-Alert", "Sanctions", "United Nations"],
        "bylines": [("Kenji Watanabe", R.REPORTING), ("Daniel Okafor", R.EDITING)],
        "citations": [
            ("UN Security Council", "Sanctions committee on North Korea"),
            ("NHK World-Japan", "What to do when a J-Alert sounds"),
            ("BBC News", "North Korea's missile tests in maps"),
        ],
        "caption": "Missiles fired on a lofted trajectory land far closer than their range.",
    },
    {
        "section": "Politics",
        "kind": "news",
        "datelines": ["UNITED NATIONS"],
        "titles": [
            "UN Security Council meets on North Korea but fails to agree a statement",
            "Japan and the US urge Security Council action after missile launch",
            "Divided Security Council holds emergency session on North Korean launches",
            "At the UN, Japan calls missile tests a threat to the whole region",
            "Security Council split deepens over response to Pyongyang",
        ],
        "dek": "Western members called for a united response; China and Russia argued that "
        "pressure has failed.",
        "body": f"""<h2>An emergency session</h2>
<p>The <a href="{UNSC}">UN Security Council</a> met on {{weekday}} at the request of Japan, \
South Korea and the United States to discuss the latest launch, which flew for {{minutes}} \
minutes. The meeting ended without a joint statement.</p>
<p>Japan's ambassador told the council that the launches broke several resolutions and \
endangered civilian shipping and aviation.</p>
<blockquote><p>“Silence from this council is read in Pyongyang as permission.”</p></blockquote>
<p>The line, from a statement read outside the chamber by a group of members, reflected \
frustration that the council has adopted no new resolution on North Korea since 2017.</p>
<h2>Why the council is divided</h2>
<p>China and Russia said sanctions had failed and should ease to restart talks. In 2024 Russia \
vetoed the renewal of the panel of experts that monitored sanctions, \
<a href="https://www.reuters.com/">Reuters</a> reported at the time.</p>
<p>Diplomats said no draft resolution was expected soon. Coverage by the \
<a href="https://www.bbc.com/news">BBC</a> and others focused on the widening gap between the \
council's permanent members.</p>""",
        "tags": ["North Korea", "United Nations", "Sanctions", "Diplomacy", "Japan"],
        "bylines": [("Sofia Marques", R.REPORTING), ("Min-jun Park", R.ADDITIONAL_REPORTING)],
        "citations": [
            ("UN Security Council", "Meetings coverage"),
            ("Reuters", "Russia vetoes renewal of UN sanctions monitors"),
            ("BBC News", "UN divided over North Korea"),
        ],
        "caption": "The council chamber, as imagined by our illustrator.",
    },
    {
        "section": "Opinion",
        "kind": "opinion",
        "datelines": [""],
        "titles": [
            "Sirens are not a strategy: Japan needs a calmer debate about missile defence",
            "The J-Alert wake-up call we keep ignoring",
            "Tokyo should keep the door to talks open, even now",
            "Counterstrike weapons will not make Japan safer on their own",
            "What a missile alert taught me about my neighbours",
        ],
        "dek": "Each alert is followed by the same statements and the same call for more "
        "hardware. Residents deserve more than that.",
        "body": f"""<h2>Another morning, another alert</h2>
<p>The phones in my building went off just after seven. Within minutes the television showed \
a map of the Sea of Japan, and my neighbours stood in the stairwell, unsure whether it counted \
as a sturdy building. By the all-clear, the missile had long since fallen into the sea.</p>
<p>We have done this many times. Each alert brings the same statements, the same protest and \
the same emergency meeting at the <a href="{UNSC}">Security Council</a>. And each time the \
debate jumps straight to hardware: more interceptors, longer-range missiles, bigger budgets.</p>
<h2>What the debate leaves out</h2>
<p>Defence matters. But a country that asks its people to take shelter also owes them clear \
information: what the alerts mean, how often they are wrong, and what else is being done.</p>
<blockquote><p>Deterrence is a promise about the future. Reassurance is a promise about today, \
and it is the one we keep breaking.</p></blockquote>
<p>The <a href="{MOD}">Ministry of Defense</a> publishes flight data after each launch. Those \
figures rarely reach the people woken by the sirens. They should.</p>
<h2>A calmer conversation</h2>
<p>Japan can strengthen its defences and keep talking; the two are not opposites. What it \
cannot afford is a debate held only in the minutes after an alert, when fear does the \
talking.</p>""",
        "tags": ["Japan", "Defence", "J-Alert", "North Korea", "Diplomacy"],
        "bylines": [("Helen Carter", R.REPORTING)],
        "citations": [
            ("Japan Ministry of Defense", "Flight data published after each launch"),
            ("Kyodo News", "Poll on public views of missile defence"),
        ],
        "caption": "Morning light over a quiet city.",
    },
    {
        "section": "Science",
        "kind": "explainer",
        "datelines": ["", "TOKYO"],
        "titles": [
            "How Japan tracks a missile in the first minutes of flight",
            "Radar, satellites and maths: how a missile launch is detected",
            "Why early missile reports change as more data comes in",
            "The science of a lofted trajectory",
            "How satellites and radar help scientists read North Korea's tests",
        ],
        "dek": "Infrared satellites see the launch; radars follow the arc; physics fills in the "
        "rest.",
        "body": f"""<h2>The first seconds</h2>
<p>A launch is usually spotted first from space. Early-warning satellites carry infrared \
sensors that see the heat of a rocket motor within seconds of ignition.</p>
<p>Radars on land and on ships then take over. Japan's coastal radars and destroyers in the Sea \
of Japan follow the missile, and their tracks are combined with South Korean and American \
data.</p>
<h2>Why the numbers change</h2>
<p>First reports of flight time and altitude are often revised hours later. Early estimates come \
while the missile is still accelerating; once it coasts, radars can fit its path to a ballistic \
curve. After {{weekday}}'s launch the <a href="{MOD}">Ministry of Defense</a> put the highest \
point at about {{apogee}} kilometres.</p>
<blockquote><p>“The first number is a guess with error bars. The number the next morning is \
physics.”</p></blockquote>
<p>That is how one radar engineer describes it. Broadcasters such as <a href="{NHK}">NHK</a> now \
say when figures are preliminary.</p>
<h2>Reading a lofted trajectory</h2>
<p>When a missile is fired steeply upward, its full range can be estimated from its altitude \
and flight time. One that climbs to {{apogee}} kilometres could fly several times that distance \
on a normal trajectory.</p>""",
        "tags": ["Missiles", "Space", "Radar", "Japan", "North Korea"],
        "bylines": [("Kenji Watanabe", R.REPORTING), ("Daniel Okafor", R.EDITING)],
        "citations": [
            ("Japan Ministry of Defense", "Ballistic missile defense"),
            ("NHK World-Japan", "How launch figures are revised"),
        ],
        "caption": "A radar sweep, as imagined by our illustrator.",
    },
]

CORRECTIONS = [
    ("correction", "An earlier version of this article misstated the missile's flight time."),
    ("clarification", "This article has been updated to make clear that the exclusive economic "
     "zone is not Japanese territory."),
]  # fmt: skip

COMMENTERS = ["Yuki S.", "Tom Hughes", "Haruto", "Ji-woo Kim", "Maria L.", "Sam Patel",
              "Keiko M.", "Ravi", "Chris O'Neill", "Naomi", "Hiroshi T.", "Emma W."]  # fmt: skip
COMMENTER_EMAILS = {name: f"{slugify(name)}@example.com" for name in COMMENTERS}
COMMENTS = [
    "Thanks for the clear timeline. The official statements were hard to follow last night.",
    "The alert woke the whole house. How often do these warnings turn out to be unnecessary?",
    "Useful piece. I didn't know the economic zone isn't actually Japanese territory.",
    "I'd like to read more about what South Korea's government said.",
    "Is there a source for the flight time? I saw a slightly different figure elsewhere.",
    "My parents in Hokkaido got the alert on their phones. Nobody knew where to go.",
    "Balanced reporting, thank you.",
    "Sanctions clearly aren't working. What would the alternative be?",
]
REPLIES = [
    "Same here, we got it in Sapporo too.",
    "The ministry's page has the updated figures; the article links to it.",
    "I think the last section of the article answers that.",
    "Agreed. A map would help as well.",
]

# Hero pictures: (words for the alt text, top colour, bottom colour).
PALETTES = [
    ("deep blue", (12, 30, 66), (52, 120, 170)),
    ("dusk purple", (40, 20, 70), (190, 110, 120)),
    ("grey dawn", (40, 48, 60), (170, 180, 190)),
    ("teal", (8, 50, 60), (60, 160, 150)),
]
