"""Build the Transformer-base benchmark package (random weights, int8) once and cache it."""

from __future__ import annotations

import hashlib
import io
import random
from pathlib import Path

from benchmarks.archive import load_seed
from devkit.tiny_argos import LATIN_TEXT, pack_random_package

WORK = Path(__file__).resolve().parent / "work"
DIRECTIONS = (("ar", "en"), ("en", "fr"))
# Transformer-base, the size of the real Argos ar→en / en→fr packages.
BASE = {"d_model": 512, "ffn": 2048, "layers": 6, "heads": 8}
VOCAB_SIZE = 32000
_ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي" + "ةىأإآءؤئ"


def synthetic_corpus(lines: int = 60000, seed: int = 7) -> list[str]:
    """Return the frozen seed sentences plus random Arabic-letter text rich enough for 32k pieces.

    The frozen seed (not the demo's articles, which change) keeps a rebuilt package's
    vocabulary, and so the pieces per segment, the same from run to run.
    """
    rng = random.Random(seed)
    # A Zipf-like lexicon: frequent short words and a long tail, so the unigram
    # trainer finds many distinct pieces as a real news corpus would give it.
    lexicon = [
        "".join(rng.choice(_ARABIC_LETTERS) for _ in range(rng.randint(2, 9))) for _ in range(60000)
    ]
    weights = [1.0 / (rank + 1) for rank in range(len(lexicon))]
    text = list(load_seed().sentences) + LATIN_TEXT.splitlines()
    for _ in range(lines):
        text.append(" ".join(rng.choices(lexicon, weights, k=rng.randint(6, 30))))
    return text


def _train_sentencepiece(vocab_size: int) -> bytes:
    """Train a unigram SentencePiece model on the synthetic corpus; return its bytes."""
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(synthetic_corpus()),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        num_threads=2,
        minloglevel=2,
    )
    return model.getvalue()


def benchmark_packages(work: Path = WORK) -> Path:
    """Return a packages folder holding the ar→en and en→fr benchmark packages, building once."""
    from autotranslate.packages import find_package, install_archive

    packages_dir = work / "packages"
    if all(find_package(s, t, packages_dir) for s, t in DIRECTIONS):
        return packages_dir
    archives = work / "archives"
    archives.mkdir(parents=True, exist_ok=True)
    spm_bytes = _train_sentencepiece(VOCAB_SIZE)
    for source, target in DIRECTIONS:
        archive = pack_random_package(archives, source, target, "1.0", spm_bytes, **BASE)
        install_archive(archive, packages_dir)
    return packages_dir


def package_summary(packages_dir: Path) -> dict[str, object]:
    """Return the benchmark package's shape (vocabulary size, layers, size on disk)."""
    import sentencepiece as spm

    from autotranslate.packages import find_package

    package = find_package("ar", "en", packages_dir)
    assert package is not None
    processor = spm.SentencePieceProcessor(model_file=str(package.path / "sentencepiece.model"))
    model_bytes = sum(p.stat().st_size for p in (package.path / "model").rglob("*"))
    vocabulary = (package.path / "sentencepiece.model").read_bytes()
    return {
        # Runs compare only on the same package: this names its vocabulary.
        "sentencepiece_sha256": hashlib.sha256(vocabulary).hexdigest()[:16],
        **BASE,
        "vocab": processor.get_piece_size(),
        "quantization": "int8",
        "model_mb": round(model_bytes / 1e6, 1),
    }
