"""Articles written for the resolution tests (our own text): one hotel attack in Mombasa
reported by several outlets over three days, and two attacks on one day in Kisumu."""

from __future__ import annotations

from collections.abc import Sequence

from incidex import pipeline
from incidex.models import Rejected
from incidex.store import Store

JUNK_TOP = "Share this page:\nFacebook\nTwitter\n\n"
JUNK_BOTTOM = "\n\nRelated content\nMarkets rally as inflation eases\nNo data was found\n"
OTHER_JUNK_TOP = "Subscribe to our newsletter\nAdvertisement\n\n"
OTHER_JUNK_BOTTOM = "\n\nMore from this section\nWeather: heavy rain expected\n"

FIRST_REPORT = (
    "Gunmen stormed the Golden Crescent Hotel in Mombasa, Kenya, on 13 June 2024, killing at "
    "least 40 people and wounding dozens more, police said. Witnesses said the attackers "
    "arrived in two pickup trucks shortly after dinner was served and opened fire on guests "
    "in the restaurant and the lobby. Security forces surrounded the building and the "
    "shooting stopped a few hours later. Hospitals across the "
    "coastal city appealed for blood donors as ambulances carried the wounded away. The hotel "
    "is popular with foreign visitors and local business people, and it had reopened only "
    "last month after a long renovation."
)

SECOND_REPORT = (
    "The death toll from the attack on the Golden Crescent Hotel in Mombasa has risen to more "
    "than 60, Kenyan officials said on 14 June 2024. The Shabaab militant group claimed "
    "responsibility for the assault in a statement posted online, saying its fighters had "
    "targeted foreigners. Rescue workers were still searching the burned upper floors of the "
    "building for survivors on Friday afternoon. Relatives gathered outside the main mortuary "
    "of the city, waiting for news of their loved ones. The regional governor ordered all "
    "schools in the county closed until Monday and asked residents to stay at home."
)

# SECOND_REPORT with about half of its content words replaced by synonyms, as a content
# farm would spin it.
SECOND_REPORT_SPUN = (
    "The fatality count from the assault on the Golden Crescent Hotel in Mombasa has climbed "
    "to more than 60, Kenyan authorities stated on 14 June 2024. The Shabaab extremist faction "
    "asserted responsibility for the onslaught in a communique uploaded online, stating its "
    "militants had attacked foreigners. Emergency crews were still combing the charred upper "
    "storeys of the structure for survivors on Friday evening. Kin assembled outside the "
    "principal morgue of the town, awaiting word of their dear ones. The provincial governor "
    "instructed all schools in the district shut until Monday and urged inhabitants to remain "
    "at home."
)

THIRD_REPORT = (
    "Kenya's interior minister on 15 June 2024 blamed Somalia for the massacre at the Golden "
    "Crescent Hotel in Mombasa, where 139 people were killed, and said the attackers had "
    "crossed the border a week earlier. Somalia's foreign ministry denied any involvement and "
    "called the accusation reckless. The government declared three days of national "
    "mourning, and flags flew at half mast over public buildings in Nairobi. Tourism "
    "operators said dozens of bookings had been cancelled since the siege. Diplomats warned "
    "that the dispute could damage cooperation between the two neighbours against the "
    "militants."
)

MOMBASA_ARTICLES = [
    ("first", FIRST_REPORT, "2024-06-13"),
    ("first-syndicated", OTHER_JUNK_TOP + FIRST_REPORT + OTHER_JUNK_BOTTOM, "2024-06-13"),
    ("second", JUNK_TOP + SECOND_REPORT + JUNK_BOTTOM, "2024-06-14"),
    ("second-spun", SECOND_REPORT_SPUN, "2024-06-15"),
    ("third", THIRD_REPORT, "2024-06-15"),
]

MARKET_BOMBING = (
    "A bomb exploded at the Kibuye market in Kisumu, Kenya, on 3 March 2025, killing seven "
    "traders and wounding 20 shoppers, police said. The device had been hidden in a sack of "
    "charcoal near the fruit stalls, according to investigators. Traders said the blast "
    "shattered windows along the whole street. Nobody has said it was behind the bombing."
)

CHURCH_SHOOTING = (
    "Gunmen opened fire on worshippers at St Mary's Cathedral in Kisumu, Kenya, on 3 March "
    "2025, killing two people, police said. The attackers fled on motorcycles before officers "
    "arrived. Church leaders appealed for calm and asked the faithful to pray for the victims. "
    "Police said they did not yet know who was responsible for the shooting."
)

# The market bombing again, from another outlet that spells the city the older way.
MARKET_BOMBING_VARIANT = (
    "A bomb blast killed seven traders at the main market in Kisumo, western Kenya, on 3 "
    "March 2025, the county police commander said. Twenty shoppers were "
    "taken to hospital with wounds from the blast. Investigators were examining fragments of "
    "the device, which had been left among the fruit stalls."
)

# One attack from many outlets, two attacks in one city on one day, and the first again
# under another spelling of the city: the articles the order and worker tests ingest.
RESOLVE_ARTICLES = [
    *MOMBASA_ARTICLES,
    ("mkt", MARKET_BOMBING, "2025-03-04"),
    ("chu", CHURCH_SHOOTING, "2025-03-04"),
    ("mkt-b", MARKET_BOMBING_VARIANT, "2025-03-05"),
]


def ingest_texts(store: Store, articles: Sequence[tuple[str, str, str]]) -> None:
    """Extract and store ``(id, text, published)`` articles in the given order."""
    docs = [pipeline.document_from_text(t, id=i, published=p) for i, t, p in articles]
    for result in pipeline.process_many(docs):
        assert not isinstance(result, Rejected), result
        assert store.save(result.document, result.extraction).stored
