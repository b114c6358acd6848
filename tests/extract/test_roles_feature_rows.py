"""The tagger scores tokens from model rows looked up by feature value; training reads
the feature names (``token_features``). Both must be the same features, in the same order,
or the shipped weights would score other features than they were trained on. The texts are
sentences written for these tests."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from incidex.annotate import annotate
from incidex.extract import roles
from incidex.models import Article

_TEXTS = (
    "SAN SALVADOR, 5 MAR 90 -- HEAVILY ARMED GUERRILLAS OF THE FMLN TODAY MACHINEGUNNED THE "
    "CAR OF MAYOR ERNESTO VILLANUEVA AND KILLED HIS DRIVER, POLICE SAID.\n\n"
    "THE ATTACKERS ALSO SET FIRE TO A BUS | NEAR THE AIRPORT = 'A TARGET'.",
    "A car bomb exploded outside a police station in Kano on Monday, killing three officers. "
    "Boko Haram claimed the attack.",
    "",
    "Rain.",
)


@pytest.mark.parametrize("text", _TEXTS)
def test_feature_rows_are_the_rows_of_token_features(text: str) -> None:
    doc: Any = annotate(Article(id="t", text=text or " ", language="en"))
    model = roles._model()
    sent_of = roles.sentence_of_tokens(doc)
    names = roles.token_features(doc, model.lexicons, sent_of)
    rows, starts = roles._feature_rows(doc, model, sent_of, roles._parse_arrays(doc))
    unknown = len(model.index)
    expected = [model.index.get(f, unknown) for feats in names for f in feats]
    assert rows.tolist() == expected
    expected_starts = [sum(len(f) for f in names[:k]) for k in range(len(names))]
    assert starts.tolist() == expected_starts
    # Known features are most of them: the lookups by value do find rows.
    assert sum(r != unknown for r in rows) > len(rows) / 2
    probs = roles.token_probabilities(doc, model, sent_of)
    assert np.array_equal(probs, roles._probabilities_of_rows(expected, expected_starts, model))
