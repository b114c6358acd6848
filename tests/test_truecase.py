"""Case restoration of upper-case wire text: only case changes, offsets stay valid."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from incidex.annotate import load_nlp, parse_text
from incidex.gate import focus_text
from incidex.models import Article
from incidex.truecase import is_mostly_upper, truecase

WIRE = (
    "LIMA, 12 MAR 91 -- [TEXT] UNIDENTIFIED GUNMEN KILLED JUDGE ROBERTO MEJIA IN\n"
    "AREQUIPA YESTERDAY.  THE POLICE SAID THE ATTACKERS BELONGED TO THE\n"
    "SHINING PATH [SL] AND FLED IN A STOLEN CAR."
)


def test_truecase_keeps_length_and_letters() -> None:
    cased = truecase(WIRE)
    assert len(cased) == len(WIRE)
    assert cased.upper() == WIRE.upper()


@settings(deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_truecase_only_changes_case_of_any_text(text: str) -> None:
    cased = truecase(text)
    assert len(cased) == len(text)
    assert all(a == b or a.lower() == b.lower() for a, b in zip(cased, text, strict=True))


def test_truecase_lowers_common_words_and_keeps_names() -> None:
    cased = truecase(WIRE)
    assert "gunmen killed" in cased
    assert "the attackers belonged to" in cased
    assert "Arequipa" in cased
    assert "Lima" in cased


def test_truecase_capitalises_sentence_starts() -> None:
    cased = truecase(WIRE)
    assert "[TEXT] Unidentified" in cased
    assert "  The police said" in cased


def test_truecase_keeps_bracketed_acronyms() -> None:
    assert "[SL]" in truecase(WIRE)
    assert "(URNG)" in truecase("THE REBELS (URNG) ATTACKED A TOWN.")


def test_truecase_lowers_the_letter_after_an_apostrophe() -> None:
    assert truecase("THE ARMY'S TRUCK WAS HIT.") == "The army's truck was hit."


def test_truecase_leaves_mixed_case_words_alone() -> None:
    text = "Rebels attacked the town of Pisco on Monday."
    assert truecase(text) == text


def test_is_mostly_upper_tells_wire_text_from_news() -> None:
    assert is_mostly_upper(WIRE)
    assert not is_mostly_upper("Gunmen killed a judge in Arequipa (AFP).")
    assert not is_mostly_upper("")


def test_parse_text_truecases_only_upper_case_articles() -> None:
    wire = Article(id="w", text=WIRE, language="en")
    news = Article(id="n", text="Gunmen KILLED a judge.", language="en")
    assert parse_text(wire) == truecase(WIRE)
    assert parse_text(news) == news.text


def test_truecased_parse_finds_names_the_upper_case_parse_misses() -> None:
    nlp = load_nlp()
    article = Article(id="w", text=WIRE, language="en")
    doc = nlp(parse_text(article))
    people = [e for e in doc.ents if e.label_ == "PERSON"]
    assert any("Roberto Mejia" in e.text for e in people)
    # offsets into the parse are offsets into the original text
    for ent in doc.ents:
        assert article.text[ent.start_char : ent.end_char].upper() == ent.text.upper()


def test_spanish_surnames_that_are_also_dictionary_words_stay_names() -> None:
    from incidex.truecase import truecase

    assert "Jose Diaz" in truecase("THE VICTIM WAS JOSE DIAZ, A TEACHER.")
    assert "Carlos Martinez" in truecase("HE MET CARLOS MARTINEZ YESTERDAY.")


_LONG_WIRE = (
    "SAN SALVADOR, 3 JAN 90 -- [TEXT] THE MINISTRY OF AGRICULTURE ANNOUNCED A NEW COFFEE "
    "PRICE TODAY.  THE HARVEST WAS GOOD IN THE WESTERN PROVINCES.  TRADERS EXPECT EXPORTS TO "
    "GROW.  MARKETS WERE CALM ALL WEEK.\n\nURBAN GUERRILLAS OF THE FMLN ATTACKED A POLICE POST "
    "IN SANTA ANA LAST NIGHT.  TWO AGENTS DIED.  PRESIDENT ALFREDO CRISTIANI CONDEMNED THE "
    "ATTACK.  THE WEATHER STAYED DRY."
)


def test_parse_text_casing_blanked_text_equals_blanking_cased_text() -> None:
    article = Article(id="w", text=_LONG_WIRE, language="en")
    blanked = focus_text(_LONG_WIRE)
    assert blanked != _LONG_WIRE  # the calm middle sentences are blanked
    assert parse_text(article) == focus_text(truecase(_LONG_WIRE))
    assert "Santa Ana" in parse_text(article)
