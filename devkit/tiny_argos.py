"""Build tiny but genuine Argos Translate packages (random weights) for tests and benchmarks."""

from __future__ import annotations

import io
import json
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "content" / "articles"

# Latin text so the tokenizer also covers English/French words, digits and
# punctuation that appear inside Arabic articles (names, years, acronyms).
LATIN_TEXT = """\
The second forum of twinned cities opened in Fes on 12 June 2014.
Participatory democracy and city management were the main topics.
Le forum international des villes jumelées s'est ouvert à Fès en 2014.
La démocratie participative et la gestion des villes étaient au programme.
Rabat hosted the 14th General Conference of the OICC in November 2016.
Rabat a accueilli la 14e conférence générale de l'OCVC le 29 novembre 2016.
Strasbourg, Coimbra, Montpellier, Anvers: 15 ans de jumelage et de coopération.
Mayors, delegations and experts from Europe, Asia and Africa attended.
0 1 2 3 4 5 6 7 8 9 10 20 100 2016 (OICC) [UNESCO] "quotes" 'apostrophes' - / %
"""

LANGUAGE_NAMES = {"ar": "Arabic", "en": "English", "fr": "French"}


def seed_sentences() -> list[str]:
    """Return the Arabic seed articles' body text split into sentences."""
    sentences: list[str] = []
    for path in sorted(ARTICLES.glob("*.md")):
        body = path.read_text(encoding="utf-8").split("\n\n", 1)[-1]
        for part in re.split(r"(?<=[.!؟?])\s+|\n+", body):
            part = part.strip()
            if part:
                sentences.append(part)
    return sentences


def _train_sentencepiece(vocab_size: int) -> bytes:
    """Train a small SentencePiece model on the seed and Latin text; return its bytes."""
    import sentencepiece as spm

    lines = seed_sentences() + LATIN_TEXT.splitlines()
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        # A few hundred short lines cannot always fill the requested vocabulary.
        hard_vocab_limit=False,
        num_threads=1,
        shuffle_input_sentence=False,
        minloglevel=2,
    )
    return model.getvalue()


def _random_transformer(vocabulary: list[str], d_model: int, ffn: int, layers: int, heads: int):
    """Return a validated CTranslate2 TransformerSpec filled with seeded random weights."""
    import numpy as np
    from ctranslate2.specs import TransformerSpec

    rng = np.random.default_rng(1234)
    spec = TransformerSpec.from_config(num_layers=layers, num_heads=heads)
    vocab = len(vocabulary)

    def matrix(rows: int, cols: int):
        # Scaled like Xavier init so activations stay finite through the layers.
        return (rng.standard_normal((rows, cols)) / np.sqrt(cols)).astype(np.float32)

    def norm(layer_norm) -> None:
        layer_norm.gamma = np.ones(d_model, dtype=np.float32)
        layer_norm.beta = np.zeros(d_model, dtype=np.float32)

    def linear(spec_linear, rows: int, cols: int) -> None:
        spec_linear.weight = matrix(rows, cols)
        spec_linear.bias = np.zeros(rows, dtype=np.float32)

    def attention(spec_attention, self_attention: bool) -> None:
        norm(spec_attention.layer_norm)
        if self_attention:
            linear(spec_attention.linear[0], 3 * d_model, d_model)
            linear(spec_attention.linear[1], d_model, d_model)
        else:
            linear(spec_attention.linear[0], d_model, d_model)
            linear(spec_attention.linear[1], 2 * d_model, d_model)
            linear(spec_attention.linear[2], d_model, d_model)

    def feed_forward(spec_ffn) -> None:
        norm(spec_ffn.layer_norm)
        linear(spec_ffn.linear_0, ffn, d_model)
        linear(spec_ffn.linear_1, d_model, ffn)

    for embeddings in (*spec.encoder.embeddings, spec.decoder.embeddings):
        embeddings.weight = matrix(vocab, d_model)
    norm(spec.encoder.layer_norm)
    norm(spec.decoder.layer_norm)
    for layer in spec.encoder.layer:
        attention(layer.self_attention, self_attention=True)
        feed_forward(layer.ffn)
    for layer in spec.decoder.layer:
        attention(layer.self_attention, self_attention=True)
        attention(layer.attention, self_attention=False)
        feed_forward(layer.ffn)
    linear(spec.decoder.projection, vocab, d_model)

    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    return spec


def pack_random_package(
    dest_dir: Path,
    from_code: str,
    to_code: str,
    version: str,
    spm_bytes: bytes,
    *,
    d_model: int,
    ffn: int,
    layers: int,
    heads: int,
) -> Path:
    """Write a random-weight int8 ``.argosmodel`` for this SentencePiece model; return its path."""
    import sentencepiece as spm

    folder_name = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    archive = dest_dir / f"{folder_name}.argosmodel"
    processor = spm.SentencePieceProcessor(model_proto=spm_bytes)
    vocabulary = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    spec = _random_transformer(vocabulary, d_model, ffn, layers, heads)
    spec.optimize(quantization="int8")
    metadata = {
        "package_type": "translate",
        "type": "translate",
        "code": f"translate-{from_code}_{to_code}",
        "package_version": version,
        "argos_version": "1.11",
        "from_code": from_code,
        "from_name": LANGUAGE_NAMES.get(from_code, from_code),
        "to_code": to_code,
        "to_name": LANGUAGE_NAMES.get(to_code, to_code),
        "links": [],
    }
    with tempfile.TemporaryDirectory(dir=dest_dir) as work:
        package_dir = Path(work) / folder_name
        (package_dir / "model").mkdir(parents=True)
        spec.save(str(package_dir / "model"))
        (package_dir / "sentencepiece.model").write_bytes(spm_bytes)
        (package_dir / "metadata.json").write_text(json.dumps(metadata, indent=2), "utf-8")
        (package_dir / "README.md").write_text(
            "Random-weight test package: its output is gibberish.\n", "utf-8"
        )
        partial = archive.with_suffix(".part")
        # Random int8 weights do not compress: storing is as small and much faster.
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED) as zipf:
            for path in sorted(package_dir.rglob("*")):
                zipf.write(path, path.relative_to(work))
        partial.replace(archive)
    return archive


def build_tiny_package(
    dest_dir: Path,
    from_code: str,
    to_code: str,
    version: str = "1.0",
    *,
    vocab_size: int = 320,
    d_model: int = 64,
    ffn: int = 128,
    layers: int = 2,
    heads: int = 2,
) -> Path:
    """Build ``translate-{from}_{to}-{version}.argosmodel`` in dest_dir and return its path."""
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    return pack_random_package(
        dest_dir, from_code, to_code, version, _train_sentencepiece(vocab_size),
        d_model=d_model, ffn=ffn, layers=layers, heads=heads,
    )  # fmt: skip


def copy_package(archive: Path, dest_dir: Path) -> Path:
    """Copy a built package into dest_dir (e.g. to serve or corrupt it) and return the copy."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(archive, dest_dir / archive.name))
