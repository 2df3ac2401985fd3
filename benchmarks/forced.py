"""Make random-weight models decode a fixed number of tokens: equal work for every system.

Random weights almost never emit </s>, so each system would decode up to its own
length bound and the comparison would measure the bounds, not the systems. Every
``translate_batch`` call goes through ``ForcedLengthTranslator``: it cuts the call
into the batches CTranslate2 itself would form (sorted by length, ``max_batch_size``
examples or padded tokens) and decodes each with
``min_decoding_length = max_decoding_length = ceil(1.2 × longest source in the batch)``,
as a real model stops near 1.2× the source and a batch runs until its longest member
ends. The useful output counted for throughput is ``ceil(1.2 × own length)`` per segment.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

RATIO = 1.2


def target_length(source_length: int) -> int:
    """Return the number of target tokens a segment of this many pieces is worth."""
    return max(1, math.ceil(RATIO * source_length))


@dataclass
class DecodeCounter:
    """Totals over every call: segments, useful tokens and tokens actually decoded."""

    segments: int = 0
    useful_tokens: int = 0
    decoded_tokens: int = 0
    calls: int = 0
    batches: int = 0
    source_lengths: list[int] = field(default_factory=list)


def native_batches(lengths: list[int], max_batch_size: int, batch_type: str) -> list[list[int]]:
    """Return the example indices of each batch CTranslate2 forms from one call."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        candidate = [*current, i]
        if batch_type == "tokens":
            size = len(candidate) * max(lengths[j] for j in candidate)
        else:
            size = len(candidate)
        if current and size > max_batch_size:
            batches.append(current)
            candidate = [i]
        current = candidate
    if current:
        batches.append(current)
    return batches


class ForcedLengthTranslator:
    """Wrap a ``ctranslate2.Translator`` so every batch decodes a fixed length."""

    def __init__(self, translator: Any, counter: DecodeCounter) -> None:
        self._translator = translator
        self.counter = counter

    def __getattr__(self, name: str) -> Any:
        return getattr(self._translator, name)

    def translate_batch(self, source: list[list[str]], *args: Any, **options: Any) -> list[Any]:
        """Translate like CTranslate2 would, each native batch forced to its fixed length.

        Asynchronous calls stay asynchronous (our engine submits its own batches and
        works on finished ones while the next decode): each result is counted when read.
        """
        asynchronous = options.pop("asynchronous", False)
        max_batch_size = options.pop("max_batch_size", 0) or 64
        batch_type = options.pop("batch_type", "examples")
        for bound in ("min_decoding_length", "max_decoding_length"):
            options.pop(bound, None)
        prefix = options.get("target_prefix")
        lengths = [len(s) for s in source]
        results: list[Any] = [None] * len(source)
        self.counter.calls += 1
        for batch in native_batches(lengths, max_batch_size, batch_type):
            length = target_length(max(lengths[i] for i in batch))
            extra = len(prefix[batch[0]]) if prefix and prefix[batch[0]] else 0
            call_options = dict(options)
            if prefix:
                call_options["target_prefix"] = [prefix[i] for i in batch]
            outputs = self._translator.translate_batch(
                [source[i] for i in batch],
                *args,
                max_batch_size=len(batch),
                min_decoding_length=length + extra,
                max_decoding_length=length + extra,
                asynchronous=asynchronous,
                **call_options,
            )
            self.counter.batches += 1
            for i, output in zip(batch, outputs, strict=True):
                self.counter.segments += 1
                self.counter.useful_tokens += target_length(lengths[i])
                self.counter.source_lengths.append(lengths[i])
                results[i] = _Counted(output, self.counter) if asynchronous else output
                if not asynchronous:
                    self.counter.decoded_tokens += len(output.hypotheses[0])
        return results


class _Counted:
    """An asynchronous result that counts its decoded tokens when it is read."""

    def __init__(self, pending: Any, counter: DecodeCounter) -> None:
        self._pending = pending
        self._counter = counter
        self._value: Any = None

    def result(self) -> Any:
        """Wait for the translation result and return it."""
        if self._value is None:
            self._value = self._pending.result()
            self._counter.decoded_tokens += len(self._value.hypotheses[0])
        return self._value


def patch_ctranslate2(counter: DecodeCounter) -> None:
    """Make every ``ctranslate2.Translator`` created from now on a forced-length one."""
    import ctranslate2

    original = ctranslate2.Translator

    def factory(*args: Any, **kwargs: Any) -> ForcedLengthTranslator:
        return ForcedLengthTranslator(original(*args, **kwargs), counter)

    ctranslate2.Translator = factory
