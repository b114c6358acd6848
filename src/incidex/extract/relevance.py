"""Whether an upper-case wire report tells of an incident the MUC-4 keys count: a terrorist
act (or one by state forces against civilians) reported as fact and recent, not a clash
between guerrillas and the army, a recalled old event or a political statement.

A logistic regression over the message's words and what the rule detector found in it
(attack types, stages, tolls, how old its incidents are), trained on the MUC-4 train split by
``training/train_relevance.py``; its weights ship in ``data/wire_relevance.json``. It reads
every upper-case message: one with a live attack word keeps its incidents when the
probability reaches ``threshold``; one without gets one incident (an old killing recalled in
a later report, an act told in words the detector does not read as an attack) when it
reaches ``untriggered_threshold``. It only runs on upper-case wire text, the domain it learnt.

A type classifier (``data/wire_untriggered.json``, ``training/train_untriggered.py``) gives
such an incident its attack type from the message's words.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from ..data import load_data
from ..models import Claim, Mention
from .context import Context

__all__ = [
    "likely_attack_type",
    "message_features",
    "relevance",
    "reports_counted_incident",
    "reports_untriggered_incident",
    "untriggered_relevance",
]

_MODEL = "wire_relevance.json"
# The attack type of an incident told without an attack word the detector reads.
_UNTRIGGERED = "wire_untriggered.json"
# Days between the report and its incident, as bins: MUC counts recent acts only.
_AGE_BINS = (1, 7, 31, 365)
_TRIGGER_SENTENCE_WORDS = 60


@lru_cache(maxsize=1)
def _model() -> tuple[dict[str, float], float, float]:
    """Return (weights by feature, bias, threshold) of the shipped model."""
    data = load_data(_MODEL)
    weights = {str(k): float(v) for k, v in data["weights"].items()}
    return weights, float(data["bias"]), float(data["threshold"])


def _content_lemmas(tokens: Any) -> set[str]:
    """Return the lower-cased lemmas of a run of tokens' content words."""
    return {
        t.lemma_.lower()
        for t in tokens
        if t.is_alpha and not t.is_stop and len(t.text) > 2 and not t.is_space
    }


def _age_bin(mention: Mention, ctx: Context) -> str:
    """Return how long before the report the incident happened, as a bin name."""
    published = ctx.article.published
    date = mention.date.value if mention.date else None
    if published is None or date is None or date.year is None or date.month is None:
        return "none"
    try:
        days = (published - dt.date(date.year, date.month, date.day or 1)).days
    except ValueError:
        return "none"
    if days < 0:
        return "future"
    return next((f"<={b}" for b in _AGE_BINS if days <= b), "old")


def _mention_features(ctx: Context, mention: Mention) -> list[str]:
    """Return the features one incident contributes: its types, stage, toll, actors, age
    and the words of its attack word's sentence."""
    feats = [f"type={f.value}" for f in mention.attack_types]
    feats.append(f"stage={mention.stage}")
    feats.append(f"age={_age_bin(mention, ctx)}")
    feats.append(f"trig={' '.join(mention.evidence.text.lower().split())}")
    for name, present in (
        ("killed", mention.killed is not None and bool(mention.killed.value.min)),
        ("wounded", mention.wounded is not None and bool(mention.wounded.value.min)),
        ("perp", bool(mention.perpetrators)),
        ("perpind", bool(mention.perpetrator_individuals)),
        ("target", bool(mention.targets)),
        ("victim", bool(mention.victims)),
        ("victimdesc", bool(mention.victim_descriptions)),
        ("weapon", bool(mention.weapon_mentions)),
    ):
        feats.append(f"{name}={present}")
    sent = ctx.doc.char_span(
        mention.evidence.sentence_start,
        mention.evidence.sentence_start + len(mention.evidence.sentence),
        alignment_mode="expand",
    )
    if sent is not None:
        feats.extend(f"ts={w}" for w in _content_lemmas(sent[:_TRIGGER_SENTENCE_WORDS]))
    return feats


def message_features(
    ctx: Context, mentions: Sequence[Mention], found_claims: Sequence[Claim]
) -> list[str]:
    """Return the names of a message's features (distinct): the content words of its
    text and of its first sentence, the claims, and per reported incident its detector
    features (``_mention_features``)."""
    live = [m for m in mentions if not m.background]
    feats = ["n_incidents=" + str(min(len(live), 3))]
    feats.append(f"n_background={min(len(mentions) - len(live), 2)}")
    feats.extend(f"claim={c.kind}" for c in found_claims)
    feats.extend(f"w={w}" for w in _content_lemmas(ctx.doc))
    if ctx.sents:
        feats.extend(f"s0={w}" for w in _content_lemmas(ctx.sents[0]))
    for mention in live:
        feats.extend(_mention_features(ctx, mention))
    if live:
        lead = live[0]
        feats.extend(f"first_type={f.value}" for f in lead.attack_types)
        feats.append(f"first_stage={lead.stage}")
        feats.append(f"first_age={_age_bin(lead, ctx)}")
    return sorted(set(feats))


def relevance(features: Sequence[str]) -> float:
    """Return the model's probability that a message with these features reports an
    incident the MUC-4 keys count."""
    weights, bias, _ = _model()
    score = bias + sum(weights.get(f, 0.0) for f in features)
    return 1.0 / (1.0 + math.exp(-score))


def reports_counted_incident(
    ctx: Context, mentions: Sequence[Mention], found_claims: Sequence[Claim]
) -> bool:
    """Return whether a wire message's detected incidents are ones the keys would count
    (the model's probability reaches its threshold, tuned by cross-validation on train)."""
    _, _, threshold = _model()
    return relevance(message_features(ctx, mentions, found_claims)) >= threshold


@lru_cache(maxsize=1)
def _untriggered() -> dict[str, Any]:
    """Return the shipped attack-type classifier (``training/train_untriggered.py``)."""
    data: dict[str, Any] = load_data(_UNTRIGGERED)
    return data


@lru_cache(maxsize=1)
def _untriggered_threshold() -> float:
    """Return the probability from which a message without a live incident reports one."""
    return float(load_data(_MODEL)["untriggered_threshold"])


def untriggered_relevance(features: Sequence[str]) -> float:
    """Return the probability that a message with these features, in which the detector
    found no live incident, still reports one the MUC-4 keys count (the relevance model's
    probability: it learnt both kinds of message, ``n_incidents=0`` among the features)."""
    return relevance(features)


def reports_untriggered_incident(features: Sequence[str]) -> bool:
    """Return whether a wire message with no attack word the detector reads still reports
    an incident the keys count (the probability reaches the threshold chosen for such
    messages by cross-validation on train)."""
    return untriggered_relevance(features) >= _untriggered_threshold()


def likely_attack_type(features: Sequence[str]) -> str:
    """Return the most likely attack type (a GTD category) of the incident a message with
    these features reports, by the type classifier trained on the train keys."""
    types = _untriggered()["types"]
    scores = [float(b) for b in types["bias"]]
    for feature in features:
        for label, weight in types["weights"].get(feature, {}).items():
            scores[int(label)] += float(weight)
    best = max(range(len(scores)), key=scores.__getitem__)
    return str(types["labels"][best])
