"""The real engine: Argos Translate packages run with CTranslate2 and SentencePiece."""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import ArgosSettings
from ..packages import (
    OFFLINE_FIX,
    ONLINE_FIX,
    InstalledPackage,
    default_packages_dir,
    find_package,
    installed_packages,
)
from .base import (
    EngineError,
    EngineUnavailable,
    ProgressCallback,
    Provenance,
    Translation,
    WordAlignment,
)

_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class _Model:
    """A loaded package: its translator, tokenizer and optional target prefix."""

    package: InstalledPackage
    translator: Any
    tokenizer: Any
    target_prefix: str


@dataclass(frozen=True)
class _Source:
    """One tokenized input text; ``offsets`` are char spans in the original text."""

    index: int
    text: str
    pieces: list[str]
    offsets: list[tuple[int, int]] | None


def _fix_hint() -> str:
    return f"run `{ONLINE_FIX}` (online) or `{OFFLINE_FIX}` (offline)"


class ArgosEngine:
    """Translate with installed Argos packages; models are loaded once per direction."""

    name = "argos"

    def __init__(self, options: ArgosSettings | None = None) -> None:
        self.options = options or ArgosSettings()
        self._models: dict[tuple[str, str], _Model] = {}
        self._lock = threading.Lock()

    @property
    def packages_dir(self) -> Path:
        """Return the folder searched for packages."""
        folder = self.options.packages_dir
        return Path(folder) if folder else default_packages_dir()

    def _package(self, source: str, target: str) -> InstalledPackage:
        """Return the installed package for a direction or raise an error naming the fix."""
        package = find_package(source, target, self.packages_dir)
        if package is None:
            unreadable = [p for p in installed_packages(self.packages_dir) if not p.from_code]
            if unreadable:
                # One of these may be the package we want; say so instead of "not installed".
                paths = ", ".join(str(p.path) for p in unreadable)
                raise EngineError(
                    f"No usable Argos package for {source}→{target}; unreadable package folder(s): "
                    f"{paths}. Delete them and reinstall: {_fix_hint()}"
                )
            raise EngineUnavailable(
                f"No Argos package for {source}→{target} in {self.packages_dir}: {_fix_hint()}"
            )
        if package.problem:
            raise EngineError(
                f"Argos package {package.path} ({source}→{target}) is broken: {package.problem}. "
                f"Reinstall it: {_fix_hint()}"
            )
        return package

    def _load(self, source: str, target: str) -> _Model:
        """Return the cached model for a direction, loading it the first time."""
        key = (source, target)
        with self._lock:
            if key in self._models:
                return self._models[key]
            package = self._package(source, target)
            import ctranslate2
            import sentencepiece

            opts = self.options
            try:
                translator = ctranslate2.Translator(
                    str(package.path / "model"),
                    device=opts.device,
                    compute_type=opts.compute_type,
                    inter_threads=opts.inter_threads,
                    intra_threads=opts.intra_threads,
                )
                tokenizer = sentencepiece.SentencePieceProcessor(
                    model_file=str(package.path / "sentencepiece.model")
                )
            except (RuntimeError, OSError, ValueError) as error:
                raise EngineError(
                    f"Argos package {package.path} ({source}→{target}) cannot be loaded: "
                    f"{error}. Reinstall it: {_fix_hint()}"
                ) from error
            prefix = _read_target_prefix(package.path)
            model = _Model(package, translator, tokenizer, prefix)
            self._models[key] = model
            return model

    def check(self, source: str, target: str) -> None:
        """Raise EngineUnavailable or EngineError, naming the fix, if source→target cannot run."""
        self._load(source, target)

    def provenance(self, source: str, target: str) -> Provenance:
        """Return ``argos <package code> <package version>`` for a direction."""
        package = self._package(source, target)
        return Provenance(engine=self.name, package=package.code, version=package.version)

    def piece_lengths(self, texts: Sequence[str], source: str, target: str) -> list[int]:
        """Return how many SentencePiece pieces each text has for source→target."""
        model = self._load(source, target)
        return [len(_tokenize(model.tokenizer, i, text).pieces) for i, text in enumerate(texts)]

    def translate(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        *,
        careful: bool = False,
        on_progress: ProgressCallback | None = None,
    ) -> list[Translation]:
        """Translate every text, in order, in length-sorted batches; empty texts stay empty.

        The batches depend only on the texts (see ``plan_batches``), so the same texts
        give the same output however they are shared out (a cluster's shards).
        ``on_progress(n)`` is called once for the empty texts (if any) and after each
        chunk of batches, so the calls add up to ``len(texts)``.
        """
        results = [Translation("")] * len(texts)
        todo = [i for i, text in enumerate(texts) if text.strip()]
        if on_progress is not None and len(todo) < len(texts):
            on_progress(len(texts) - len(todo))
        if not todo:
            return results
        model = self._load(source, target)
        sources = [_tokenize(model.tokenizer, i, texts[i]) for i in todo]
        opts = self.options
        batches = plan_batches([len(s.pieces) for s in sources], opts.max_batch_size,
                               opts.batch_type)  # fmt: skip
        for group in chunk_batches(batches, opts.chunk_size):
            chunk = [[sources[i] for i in batch] for batch in group]
            for batch, translations in zip(
                chunk, self._translate_batches(model, chunk, careful), strict=True
            ):
                for item, translation in zip(batch, translations, strict=True):
                    results[item.index] = translation
            if on_progress is not None:
                on_progress(sum(len(batch) for batch in chunk))
        return results

    def _translate_batches(
        self, model: _Model, batches: list[list[_Source]], careful: bool
    ) -> list[list[Translation]]:
        """Run each batch as one CTranslate2 job (inter_threads of them at once)."""
        opts = self.options
        prefix = [model.target_prefix] if model.target_prefix else []
        extra: dict[str, Any] = {}
        if careful:
            extra = {"repetition_penalty": 1.2, "no_repeat_ngram_size": 3}
        try:
            # Submitted whole (no max_batch_size): CTranslate2 must not re-cut our batches.
            pending = [
                model.translator.translate_batch(
                    [s.pieces or ["▁"] for s in batch],
                    asynchronous=True,
                    beam_size=opts.beam_size,
                    return_attention=True,
                    max_decoding_length=_decoding_limit(max(len(s.pieces) for s in batch))
                    + len(prefix),
                    **({"target_prefix": [prefix] * len(batch)} if prefix else {}),
                    **extra,
                )
                for batch in batches
            ]
        except (RuntimeError, ValueError) as error:
            raise self._failed(model, error) from error
        finished = []
        for batch, results in zip(batches, pending, strict=True):
            try:
                outputs = [result.result() for result in results]
            except (RuntimeError, ValueError) as error:
                raise self._failed(model, error) from error
            # Finished (detokenized, aligned) while CTranslate2 decodes the next batches
            # in its own threads.
            finished.append(
                [
                    self._finish(model, item, output, prefix)
                    for item, output in zip(batch, outputs, strict=True)
                ]
            )
        return finished

    @staticmethod
    def _failed(model: _Model, error: Exception) -> EngineError:
        """Return the error that names the package CTranslate2 failed on."""
        return EngineError(
            f"CTranslate2 failed on {model.package.path}: {error}. "
            f"If the package is damaged, reinstall it: {_fix_hint()}"
        )

    @staticmethod
    def _finish(model: _Model, item: _Source, output: Any, prefix: list[str]) -> Translation:
        """Turn one CTranslate2 result into text with its word alignment."""
        tokens = list(output.hypotheses[0])
        attention = list(output.attention[0]) if output.attention else []
        if prefix and tokens[: len(prefix)] == prefix:
            tokens = tokens[len(prefix) :]
            attention = attention[len(prefix) :]
        # The batch shares its longest member's bound; hold each text to its own so
        # a runaway output does not depend on which texts it was batched with.
        limit = _decoding_limit(len(item.pieces))
        tokens, attention = tokens[:limit], attention[:limit]
        return _detokenize(model.tokenizer, item, tokens, attention)


def plan_batches(lengths: Sequence[int], max_batch_size: int, batch_type: str) -> list[list[int]]:
    """Group input indexes into batches of similar length; the same lengths give the same batches.

    Inputs are sorted by (length, index); a batch holds ``max_batch_size`` inputs
    (``examples``) or as many as fit ``max_batch_size`` padded tokens (``tokens``).

    >>> plan_batches([3, 1, 2, 5, 1], 2, "examples")
    [[1, 4], [2, 0], [3]]
    >>> plan_batches([3, 1, 2, 5, 1], 6, "tokens")
    [[1, 4, 2], [0], [3]]
    """
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    batches: list[list[int]] = []
    for index in order:
        width = max(lengths[index], 1)  # sorted: the newest member is the longest
        if batches:
            current = batches[-1]
            size = len(current) + 1 if batch_type == "examples" else (len(current) + 1) * width
            if size <= max_batch_size:
                current.append(index)
                continue
        batches.append([index])
    return batches


def chunk_batches(batches: list[list[int]], size: int) -> list[list[list[int]]]:
    """Group whole batches into chunks of about ``size`` inputs (at least one batch each).

    >>> chunk_batches([[0, 1], [2, 3], [4]], 3)
    [[[0, 1], [2, 3]], [[4]]]
    """
    chunks: list[list[list[int]]] = []
    count = size
    for batch in batches:
        if count >= size:
            chunks.append([])
            count = 0
        chunks[-1].append(batch)
        count += len(batch)
    return chunks


def _decoding_limit(source_length: int) -> int:
    """Return the most target pieces allowed for a source of this many pieces."""
    # Bounds runaway decoding (hallucination loops, random test weights).
    return 2 * source_length + 10


def _read_target_prefix(package_path: Path) -> str:
    """Return metadata.json's ``target_prefix`` (multilingual packages), or ''."""
    import json

    try:
        metadata = json.loads((package_path / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    return str(metadata.get("target_prefix") or "")


def _tokenize(tokenizer: Any, index: int, text: str) -> _Source:
    """Split text into pieces, keeping each piece's char span in the original text."""
    try:
        mapping = tokenizer.encode(text, out_type="offset_mapping")
        return _Source(index, text, list(mapping["pieces"]), list(mapping["offsets"]))
    except (TypeError, ValueError, KeyError):
        # Older sentencepiece has no offset mapping: translate without alignment.
        return _Source(index, text, tokenizer.encode(text, out_type=str), None)


def _detokenize(
    tokenizer: Any, source: _Source, tokens: list[str], attention: list[list[float]]
) -> Translation:
    """Join target pieces into text and align each target word to a source word."""
    ids = [tokenizer.piece_to_id(token) for token in tokens]
    if source.offsets is None:
        return Translation(tokenizer.decode(ids).strip())
    try:
        mapping = tokenizer.decode(ids, out_type="offset_mapping")
    except (TypeError, ValueError):
        return Translation(tokenizer.decode(ids).strip())
    raw = mapping["text"]
    text = raw.strip()
    shift = len(raw) - len(raw.lstrip())
    target_offsets = [(b - shift, e - shift) for b, e in mapping["offsets"]]
    alignment = _align(source, text, target_offsets, attention)
    return Translation(text, alignment)


def _word_of(spans: list[tuple[int, int]], text: str, begin: int, end: int) -> int:
    """Return the index of the word holding the first non-space char of [begin, end), or -1."""
    for position in range(max(begin, 0), min(end, len(text))):
        if not text[position].isspace():
            for index, (start, stop) in enumerate(spans):
                if start <= position < stop:
                    return index
            return -1
    return -1


def _align(
    source: _Source,
    text: str,
    target_offsets: list[tuple[int, int]],
    attention: list[list[float]],
) -> tuple[WordAlignment, ...]:
    """Align target words to source words by summed subword attention; () when impossible."""
    import numpy as np

    source_words = [m.span() for m in _WORD.finditer(source.text)]
    target_words = [m.span() for m in _WORD.finditer(text)]
    if not source_words or not target_words or len(attention) != len(target_offsets):
        return ()
    assert source.offsets is not None
    source_word_of = [_word_of(source_words, source.text, b, e) for b, e in source.offsets]
    target_word_of = [_word_of(target_words, text, b, e) for b, e in target_offsets]
    weights = np.asarray(attention, dtype=np.float32)
    if weights.ndim != 2 or weights.shape[1] < len(source_word_of):
        return ()
    # One-hot maps: target pieces → target words and source pieces → source words,
    # so scores[w, v] is the attention mass from target word w to source word v.
    to_target = np.zeros((len(target_words), len(target_offsets)), dtype=np.float32)
    for piece, word in enumerate(target_word_of):
        if word >= 0:
            to_target[word, piece] = 1.0
    to_source = np.zeros((weights.shape[1], len(source_words)), dtype=np.float32)
    for piece, word in enumerate(source_word_of):
        if word >= 0:
            to_source[piece, word] = 1.0
    if not to_target.any(axis=1).all():
        return ()
    # einsum, not @: these matrices are tiny, and BLAS would wake its thread pool for
    # each one, fighting CTranslate2's threads for the cores (40-90 ms per sentence
    # measured on 2 busy cores, against 0.5 ms this way).
    by_word = np.einsum("tp,ps->ts", to_target, weights)
    best = np.einsum("ts,sw->tw", by_word, to_source).argmax(axis=1)
    return tuple(
        (t_start, t_end, *source_words[int(word)])
        for (t_start, t_end), word in zip(target_words, best, strict=True)
    )
