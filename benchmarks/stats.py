"""Medians and run-to-run spreads of repeated measurements, and ratios paired by repetition."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def median(values: Sequence[float]) -> float:
    """Return the median, NaN for no values."""
    return statistics.median(values) if values else float("nan")


def rate(amount: float, seconds: float) -> float:
    """Return amount per second, rounded; NaN when no time passed."""
    return round(amount / seconds, 2) if seconds > 0 else float("nan")


def spread(values: Sequence[float], digits: int = 3) -> dict[str, object]:
    """Return min, max and every value of a key over the repetitions, in run order.

    >>> spread([0.7, 0.61, 0.65])
    {'min': 0.61, 'max': 0.7, 'per_rep': [0.7, 0.61, 0.65]}
    """
    kept = [round(v, digits) for v in values if not math.isnan(v)]
    if not kept:
        return {"min": None, "max": None, "per_rep": []}
    return {"min": min(kept), "max": max(kept), "per_rep": kept}


def paired_ratios(numerators: Sequence[float], denominators: Sequence[float]) -> list[float]:
    """Return numerator ÷ denominator of each repetition (the two measured in the same round).

    >>> paired_ratios([2.0, 3.0], [4.0, 3.0])
    [0.5, 1.0]
    """
    if len(numerators) != len(denominators):
        raise ValueError(f"{len(numerators)} against {len(denominators)} repetitions")
    return [n / d if d else float("nan") for n, d in zip(numerators, denominators, strict=True)]
