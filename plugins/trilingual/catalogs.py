"""Interface-string catalogs: read a theme's PO files and compile them in memory."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

logger = logging.getLogger(__name__)


def load_translations(translations_dir: Path, lang: str) -> NullTranslations:
    """Return gettext translations for ``lang`` from ``<dir>/<lang>/LC_MESSAGES/messages.po``.

    The PO file is compiled in memory (no .mo on disk to go stale); a missing
    catalog falls back to the msgids (English) and is logged.
    """
    po_path = Path(translations_dir) / lang / "LC_MESSAGES" / "messages.po"
    if not po_path.is_file():
        logger.warning("trilingual: no interface catalog %s; using English strings", po_path)
        return NullTranslations()
    with po_path.open("rb") as fp:
        catalog = read_po(fp, locale=lang)
    buffer = io.BytesIO()
    # Fuzzy entries are guesses a translator has not confirmed: leave them out.
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer)
