"""Generate a synthetic day-by-day news stream for the resolution benchmark.

Several hundred distinct attacks (cities, venues, methods, dates, groups drawn at random),
each reported 1-40 times: independent reports in different wordings with a toll that rises
over the following days, syndicated copies of a report under other page junk, reworded
(synonym-spun) copies, and unrelated news mixed in. Every article carries the id of the
attack it reports (``truth``; null for unrelated news), so pairwise precision and recall
of the resolved incidents can be measured.

An independent report is a lead sentence, perhaps a claim, and five background sentences:
about 120 words (48-149) with page junk, where the modern web articles of the dev set run a
median of 298. ``extra_sentences`` adds a paragraph of that many more background sentences
to every independent report (10 give a median of about 280 words), to see how the cost of
extraction, which grows with the text, weighs against grouping, which mostly does not.

    python bench/generate.py 10000 [EXTRA_SENTENCES] > /tmp/bench.jsonl
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass

CITIES = [
    ("Mogadishu", "Somalia"),
    ("Kabul", "Afghanistan"),
    ("Baghdad", "Iraq"),
    ("Mosul", "Iraq"),
    ("Peshawar", "Pakistan"),
    ("Quetta", "Pakistan"),
    ("Karachi", "Pakistan"),
    ("Lahore", "Pakistan"),
    ("Maiduguri", "Nigeria"),
    ("Kano", "Nigeria"),
    ("Abuja", "Nigeria"),
    ("Mombasa", "Kenya"),
    ("Nairobi", "Kenya"),
    ("Garissa", "Kenya"),
    ("Bamako", "Mali"),
    ("Gao", "Mali"),
    ("Ouagadougou", "Burkina Faso"),
    ("Niamey", "Niger"),
    ("Kandahar", "Afghanistan"),
    ("Jalalabad", "Afghanistan"),
    ("Aden", "Yemen"),
    ("Sanaa", "Yemen"),
    ("Damascus", "Syria"),
    ("Aleppo", "Syria"),
    ("Idlib", "Syria"),
    ("Beirut", "Lebanon"),
    ("Istanbul", "Turkey"),
    ("Ankara", "Turkey"),
    ("Cairo", "Egypt"),
    ("Alexandria", "Egypt"),
    ("Tripoli", "Libya"),
    ("Benghazi", "Libya"),
    ("Manila", "Philippines"),
    ("Marawi", "Philippines"),
    ("Cotabato", "Philippines"),
    ("Dhaka", "Bangladesh"),
    ("Colombo", "Sri Lanka"),
    ("Srinagar", "India"),
    ("Imphal", "India"),
    ("Bogota", "Colombia"),
    ("Cali", "Colombia"),
    ("Medellin", "Colombia"),
    ("Paris", "France"),
    ("Brussels", "Belgium"),
    ("London", "United Kingdom"),
    ("Manchester", "United Kingdom"),
    ("Berlin", "Germany"),
    ("Madrid", "Spain"),
    ("Moscow", "Russia"),
    ("Makhachkala", "Russia"),
    ("Kyiv", "Ukraine"),
    ("Kharkiv", "Ukraine"),
    ("Goma", "Democratic Republic of the Congo"),
    ("Beni", "Democratic Republic of the Congo"),
    ("Juba", "South Sudan"),
    ("Khartoum", "Sudan"),
    ("Tunis", "Tunisia"),
    ("Algiers", "Algeria"),
    ("Jakarta", "Indonesia"),
    ("Surabaya", "Indonesia"),
    ("Bangkok", "Thailand"),
    ("Yala", "Thailand"),
    ("Mexico City", "Mexico"),
    ("Culiacan", "Mexico"),
]
VENUE_NAMES = [
    "Al-Noor",
    "Grand",
    "Royal",
    "Central",
    "Unity",
    "Liberty",
    "Crescent",
    "Victory",
    "Palm",
    "Riverside",
    "Golden",
    "Sunrise",
    "Harbour",
    "Hilltop",
]
VENUE_KINDS = [
    "Hotel",
    "Market",
    "Mosque",
    "Church",
    "Stadium",
    "School",
    "Hospital",
    "Bus Station",
    "Police Station",
    "Shopping Centre",
    "Restaurant",
    "University",
]
GROUPS = [
    "al-Shabaab",
    "Boko Haram",
    "the Islamic State",
    "the Pakistani Taliban",
    "the Houthis",
    "ELN",
    "Abu Sayyaf",
    "the Allied Democratic Forces",
]
METHODS = {
    "bombing": ("a bomb exploded at", "the bombing", "blast"),
    "shooting": ("gunmen opened fire at", "the shooting", "gun attack"),
    "stabbing": (
        "an attacker armed with a knife stabbed people at",
        "the stabbing",
        "knife attack",
    ),
    "kidnapping": ("armed men abducted people from", "the kidnapping", "abduction"),
    "arson": ("attackers set fire to", "the arson attack", "fire"),
}
JUNK = [
    ("Share this page:\nFacebook\nTwitter\n\n", "\n\nRelated content\nNo data was found\n"),
    ("Subscribe to our newsletter\nAdvertisement\n\n", "\n\nMore from this section\n"),
    ("Skip to main content\nMenu\n\n", "\n\nRead more:\nWeather: rain expected\n"),
    ("", "\n\nAll rights reserved. This article may not be republished.\n"),
]
SPIN = {
    "killed": "left dead",
    "wounded": "injured",
    "people": "individuals",
    "said": "stated",
    "police": "law enforcement",
    "officials": "authorities",
    "attack": "assault",
    "city": "town",
    "hospital": "clinic",
    "morning": "forenoon",
    "statement": "communique",
    "responsibility": "credit",
    "claimed": "asserted",
    "witnesses": "onlookers",
    "residents": "locals",
    "security": "safety",
    "forces": "troops",
    "rescue": "relief",
    "workers": "crews",
    "toll": "count",
    "death": "fatality",
    "rose": "climbed",
    "blamed": "accused",
    "group": "faction",
    "local": "regional",
    "government": "authorities",
    "closed": "shut",
    "shops": "stores",
    "streets": "roads",
    "search": "hunt",
    "victims": "casualties",
    "families": "relatives",
    "gathered": "assembled",
}
UNRELATED = [
    "The central bank of {country} kept its main interest rate unchanged on {day}, citing "
    "slowing inflation and a stronger currency. Analysts in {city} had expected the decision, "
    "and markets moved little after the announcement. The bank said it would watch food "
    "prices closely over the coming months.",
    "Thousands of fans filled the streets of {city} on {day} to celebrate the national "
    "team's victory in the regional football cup. The coach praised his players for their "
    "discipline and said the squad would now prepare for the continental championship.",
    "Heavy rain flooded several districts of {city} on {day}, cutting power to homes and "
    "closing schools, the weather service of {country} said. Emergency services moved "
    "families to higher ground, and farmers warned that crops could be damaged.",
    "A new bridge linking the two halves of {city} opened to traffic on {day}, cutting "
    "journey times across the river. The transport minister of {country} said the project "
    "had been finished on budget and would ease congestion in the capital region.",
]


@dataclass(frozen=True, slots=True)
class Attack:
    """One generated attack: where, when, how, the final toll and the claiming group."""

    id: str
    city: str
    country: str
    venue: str
    method: str
    day: dt.date
    final_killed: int
    wounded: int
    group: str | None


def _date_text(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def _attack(rng: random.Random, i: int) -> Attack:
    city, country = rng.choice(CITIES)
    venue = f"{rng.choice(VENUE_NAMES)} {rng.choice(VENUE_KINDS)}"
    day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(1000))
    killed = rng.choice([2, 3, 5, 8, 12, 17, 25, 40, 60, 90, 139])
    group = rng.choice(GROUPS) if rng.random() < 0.6 else None
    return Attack(
        f"A{i:04d}",
        city,
        country,
        venue,
        rng.choice(list(METHODS)),
        day,
        killed,
        killed * rng.randint(1, 4),
        group,
    )


def _toll_on(attack: Attack, days_after: int) -> tuple[str, int]:
    """Return the toll phrase and figure reported ``days_after`` the attack."""
    share = min(1.0, 0.35 + 0.3 * days_after)
    figure = max(1, round(attack.final_killed * share))
    if days_after == 0 and figure < attack.final_killed:
        return f"at least {figure}", figure
    if figure < attack.final_killed:
        return f"more than {figure}", figure
    return str(figure), figure


def _report(rng: random.Random, a: Attack, days_after: int, extra_sentences: int = 0) -> str:
    """Return an independent report of ``a`` written ``days_after`` the attack, with a
    paragraph of ``extra_sentences`` more background sentences when that is above 0."""
    verb, noun, short = METHODS[a.method]
    toll, _ = _toll_on(a, days_after)
    when = _date_text(a.day)
    opening = rng.choice(
        [
            f"On {when}, {verb} the {a.venue} in {a.city}, {a.country}, killing {toll} people and "
            f"wounding {a.wounded}, police said.",
            f"{toll.capitalize()} people were killed and {a.wounded} wounded when {verb} the "
            f"{a.venue} in {a.city}, {a.country}, on {when}, officials said.",
            f"The death toll from {noun} at the {a.venue} in {a.city} on {when} rose to {toll}, "
            f"health officials in {a.country} said, adding that {a.wounded} people were wounded.",
        ]
    )
    claim = (
        f" {a.group[0].upper()}{a.group[1:]} claimed responsibility for the {short} in a statement."
        if a.group and rng.random() < 0.7
        else ""
    )
    background = " ".join(rng.sample(_background(rng, a), 5))
    text = f"{opening}{claim}\n\n{background}"
    if extra_sentences > 0:
        pool = [*_background(rng, a), *_background(rng, a)]
        text += "\n\n" + " ".join(rng.sample(pool, min(extra_sentences, len(pool))))
    return text


SUBJECTS = [
    "A senior police officer",
    "The provincial governor",
    "A hospital director",
    "An aid worker",
    "A shopkeeper nearby",
    "The mayor",
    "A local journalist",
    "An army spokesman",
    "A resident",
    "A security analyst",
    "A witness",
    "The health minister",
]
VERBS = [
    "told reporters that",
    "said in an interview that",
    "wrote on social media that",
    "told a news conference that",
    "said late at night that",
    "insisted that",
    "warned that",
    "added that",
    "confirmed that",
    "said earlier that",
]
CLAUSES = [
    "the roads around {place} remained closed",
    "extra patrols were sent to {place}",
    "{n} families had asked for help",
    "the injured included {n} children",
    "investigators had found {n} spent cartridges",
    "power was cut in {n} streets",
    "the area near {place} was calm again",
    "{n} suspects were being questioned",
    "schools near {place} would stay shut for {n} days",
    "the funerals of {n} victims would take place on Sunday",
    "the airport in {place} had tightened its checks",
    "officers had searched {n} houses overnight",
]
TAILS = [
    "",
    " after a long meeting",
    " without giving details",
    " before leaving the scene",
    " as crowds gathered",
    " while rain fell",
    " according to a statement",
    " in a brief remark",
]


def _background(rng: random.Random, a: Attack) -> list[str]:
    """Return background sentences for one report, each put together from parts so that
    independent reports share few word sequences."""
    out = []
    for _ in range(8):
        clause = rng.choice(CLAUSES).format(place=a.city, n=rng.randint(2, 60))
        out.append(f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {clause}{rng.choice(TAILS)}.")
    return out


def _spin(rng: random.Random, text: str) -> str:
    def swap(m: re.Match[str]) -> str:
        word = m.group(0)
        return SPIN.get(word, word) if rng.random() < 0.9 else word

    return re.sub(r"[a-z]+", swap, text)


def _with_junk(rng: random.Random, text: str) -> str:
    top, bottom = rng.choice(JUNK)
    return top + text + bottom


def _reports(
    rng: random.Random, a: Attack, n: int, extra_sentences: int = 0
) -> Iterator[tuple[dt.date, str]]:
    """Yield ``n`` (publication date, text) reports of ``a``: independent reports over
    three days, and copies (syndicated or spun) of earlier ones."""
    written: list[tuple[dt.date, str]] = []
    for k in range(n):
        if written and rng.random() < 0.45:
            day, text = rng.choice(written)
            later = day + dt.timedelta(days=rng.randint(0, 1))
            copy = _spin(rng, text) if rng.random() < 0.4 else text
            yield later, _with_junk(rng, copy)
            continue
        days_after = 0 if k == 0 else rng.randint(0, 3)
        text = _report(rng, a, days_after, extra_sentences)
        written.append((a.day + dt.timedelta(days=max(days_after, 1)), text))
        yield written[-1][0], _with_junk(rng, text)


def _report_counts(rng: random.Random, total: int) -> list[int]:
    counts: list[int] = []
    while sum(counts) < total:
        counts.append(min(40, max(1, int(rng.paretovariate(1.1) * 9) - 8)))
    return counts


def generate(n_articles: int, seed: int = 7, extra_sentences: int = 0) -> list[dict[str, object]]:
    """Return ``n_articles`` article records (id, text, published, title, truth);
    ``extra_sentences`` lengthens every independent report (see the module docstring)."""
    rng = random.Random(seed)
    n_unrelated = n_articles // 10
    records: list[dict[str, object]] = []
    for i, n in enumerate(_report_counts(rng, n_articles - n_unrelated)):
        a = _attack(rng, i)
        for j, (published, text) in enumerate(_reports(rng, a, n, extra_sentences)):
            records.append(
                {
                    "id": f"{a.id}-{j:02d}",
                    "text": text,
                    "published": published.isoformat(),
                    "title": f"Attack in {a.city}",
                    "truth": a.id,
                }
            )
    records = records[: n_articles - n_unrelated]
    for k in range(n_unrelated):
        city, country = rng.choice(CITIES)
        day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(1000))
        text = rng.choice(UNRELATED).format(city=city, country=country, day=_date_text(day))
        records.append(
            {
                "id": f"N{k:05d}",
                "text": _with_junk(rng, text),
                "published": day.isoformat(),
                "title": f"News from {city}",
                "truth": None,
            }
        )
    rng.shuffle(records)
    return records


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    extra = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    for record in generate(n, extra_sentences=extra):
        sys.stdout.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
