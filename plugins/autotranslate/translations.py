"""Make the build's ``BuildTranslations`` from the sources, the catalogs and the settings."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .config import AutotranslateConfig
from .contract import BuildTranslations, LanguageVersion, SourceTranslations
from .engines.base import Engine
from .memory import Status
from .pipeline import SourceText, TranslatedText, TranslationRun

Progress = Callable[[int, str], Callable[[int], None]]


def _version(lang: str, text: TranslatedText) -> LanguageVersion:
    """Freeze one rendered language version."""
    return LanguageVersion(
        lang=lang,
        title=text.title,
        content=text.content,
        summary=text.summary,
        status=text.status,
        counts={status.value: n for status, n in text.counts.items() if n},
        engines=tuple(sorted(text.engines)),
        blocks=tuple(text.blocks),
    )


def translate_sources(
    config: AutotranslateConfig,
    texts: Sequence[SourceText],
    engine_factory: Callable[[], Engine],
    progress: Progress | None = None,
) -> BuildTranslations:
    """Look up, translate, store and render every text; return the frozen result.

    Category and tag names are rendered here too, so every problem (markup shown as
    text in a reviewed term, say) is known before anyone prints the summary.
    """
    run = TranslationRun(config, engine_factory, progress)
    results = run.translate_all(list(texts))
    names = sorted({name for text in texts for name in text.terms})
    terms = {
        lang: {name: run.translate_term(name, lang) for name in names} for lang in config.targets
    }
    items = {
        text.key: SourceTranslations(
            key=text.key,
            source_blocks=tuple(block.raw for block in text.content.blocks()),
            versions={lang: _version(lang, done) for lang, done in results[text.key].items()},
        )
        for text in texts
    }
    return BuildTranslations(
        source=config.source,
        targets=config.targets,
        items=items,
        terms=terms,
        problems=tuple(run.problems),
        unavailable=tuple(
            f"{source}→{target}: {reason}"
            for (source, target), reason in sorted(run.unavailable.items())
        ),
        unreadable=tuple(run.skipped.values()),
        totals={status.value: run.totals[status] for status in Status if run.totals[status]},
        sent=run.translated_segments,
    )
