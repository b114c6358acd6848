"""Inference-only speed-ups of the spaCy models' layers (annotate stage): each replaces a
layer's forward pass where it gives thinc's values bit for bit, checked on that layer's
own weights when the model loads, and leaves the layer alone elsewhere.

- ``embeddings``: each distinct row of token attributes embedded once per process;
- ``encoder``: the encoders' residual maxout blocks run fused.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["model_nodes"]


def model_nodes(nlp: Any) -> Iterator[Any]:
    """Yield every layer of the models of a pipeline's components."""
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None:
            yield from model.walk()
