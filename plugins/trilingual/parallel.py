"""Write the parallel view: the original beside its translations, block by block."""

from __future__ import annotations

import logging
from typing import Any

from autotranslate.contract import parallel_of

from .templating import site_languages

logger = logging.getLogger(__name__)

PARALLEL_SAVE_AS = "parallel/{slug}.html"


def parallel_rows(article: Any, codes: tuple[str, ...]) -> list[dict[str, str]]:
    """Return aligned rows {lang: html}; one row of whole texts without the stage's blocks."""
    item = parallel_of(article)
    if item is not None and item.source_blocks:
        rows = []
        for index, source_block in enumerate(item.source_blocks):
            row = {code: "" for code in codes}
            row[article.lang] = source_block
            for lang, version in item.versions.items():
                if lang in row:
                    row[lang] = version.blocks[index]
            rows.append(row)
        return rows
    # Hand-written translations carry no segment alignment: show whole texts
    # side by side rather than guess an alignment that may be wrong.
    texts = {article.lang: article.content}
    for other in getattr(article, "translations", ()):
        texts.setdefault(other.lang, other.content)
    return [{code: texts.get(code, "") for code in codes}]


def write_parallel_views(generator: Any, writer: Any) -> None:
    """Write one parallel page per original article, in the original language's run only."""
    settings = generator.settings
    languages = site_languages(settings)
    if settings["DEFAULT_LANG"] != languages.default:
        return
    save_as_fmt = settings.get("TRILINGUAL_PARALLEL_SAVE_AS", PARALLEL_SAVE_AS)
    if not save_as_fmt:
        return
    template = generator.get_template("parallel")
    for article in generator.articles:
        if article.lang != languages.default:
            continue
        save_as = save_as_fmt.format(slug=article.slug)
        writer.write_file(
            save_as,
            template,
            generator.context,
            article=article,
            rows=parallel_rows(article, languages.codes),
            parallel_url=save_as,
        )
