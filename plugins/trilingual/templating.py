"""Install the current run's language helpers and interface catalog into a Jinja env."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from babel import Locale
from jinja2 import Environment

from .catalogs import load_translations
from .languages import SiteLanguages
from .localize import iso_date, localized_date, localized_number
from .provenance import translation_info
from .scriptmarks import mark_arabic_runs
from .sharing import PageSharing, SharingSettings
from .versions import PageVersions, hreflang_links

DEFAULT_LANGUAGES = {
    "languages": {
        "ar": {"prefix": "", "locale": "ar_MA"},
        "fr": {"prefix": "fr", "locale": "fr"},
        "en": {"prefix": "en", "locale": "en"},
    },
    "default": "ar",
}


def site_languages(settings: dict[str, Any]) -> SiteLanguages:
    """Return the checked language configuration from Pelican settings."""
    return SiteLanguages.from_setting(settings.get("TRILINGUAL", DEFAULT_LANGUAGES))


def root_url(settings: dict[str, Any]) -> str:
    """Return the URL of the whole site (the default language's section).

    The section driver sets TRILINGUAL_ROOT_URL; a plain ``pelican`` run has
    only SITEURL, which is then the root.
    """
    return str(settings.get("TRILINGUAL_ROOT_URL", settings.get("SITEURL", ""))).rstrip("/")


def install(env: Environment, settings: dict[str, Any], theme_path: str) -> None:
    """Add language globals, Babel filters and gettext for this run's language to ``env``."""
    languages = site_languages(settings)
    current = settings["DEFAULT_LANG"]
    if current not in languages.codes:
        raise ValueError(f"DEFAULT_LANG {current!r} is not in TRILINGUAL['languages']")
    language = languages.get(current)
    root = root_url(settings)
    versions = PageVersions(languages, root, current)

    def lang_url(lang: str, path: str) -> str:
        """URL of ``path`` inside the section of ``lang``."""
        return languages.url(root, lang, path)

    def format_date(value, fmt: str = "long", lang: str | None = None) -> str:
        """Date in the given (default: current) language's conventions."""
        locale = languages.get(lang).locale if lang else language.locale
        return localized_date(value, locale, fmt)

    def format_number(value, lang: str | None = None) -> str:
        """Number in the given (default: current) language's conventions."""
        locale = languages.get(lang).locale if lang else language.locale
        return localized_number(value, locale)

    def format_period(period_num: tuple[int, ...]) -> str:
        """Year, month-year or full date of a period archive, in the current language."""
        if len(period_num) == 1:
            # Years are never grouped ("2016", not "2,016").
            return str(period_num[0])
        day = period_num[2] if len(period_num) > 2 else 1
        fmt = "long" if len(period_num) > 2 else "LLLL y"
        return localized_date(
            datetime.date(period_num[0], period_num[1], day), language.locale, fmt
        )

    ui_catalogs: dict[str, Any] = {}

    def in_language(lang: str, message: str) -> str:
        """Return the interface string ``message`` in ``lang`` (for a page in every language)."""
        if lang not in ui_catalogs:
            ui_catalogs[lang] = load_translations(Path(theme_path) / "translations", lang)
        return ui_catalogs[lang].gettext(message)

    sharing = PageSharing(
        languages,
        root,
        current,
        settings.get("SITENAME", ""),
        settings.get("AUTHOR", ""),
        SharingSettings.from_setting(settings.get("SHARING")),
    )
    env.globals.update(
        LANG=current,
        LANG_DIR=language.direction,
        LANG_NAME=language.native_name,
        OG_LOCALE=language.share_locale,
        # BCP 47 form of the section's locale (ar-MA), for browser APIs such as Intl.
        LANG_BCP47=language.locale.replace("_", "-"),
        LANGUAGES=languages.languages,
        ORIGINAL_LANG=languages.default,
        ROOT_URL=root,
        SECTION_URL=languages.section_url(root, current),
        lang_url=lang_url,
        in_language=in_language,
        versions_same_path=versions.same_path,
        versions_only_self=versions.only_self,
        versions_for_article=versions.for_article,
        versions_for_period=versions.for_period,
        versions_for_category=versions.for_category,
        versions_for_tag=versions.for_tag,
        hreflang_links=lambda vs: hreflang_links(vs, languages.default),
        translation_info=lambda article: translation_info(article, languages.default),
        share_meta=sharing.meta_tags,
        share_json_ld=sharing.json_ld,
        share_noindex=sharing.noindex,
        format_period=format_period,
    )
    env.filters.update(
        format_date=format_date,
        format_number=format_number,
        iso_date=iso_date,
        language_name=lambda code: languages.get(code).native_name,
        # "arabe", "Arabic": a language named in the reader's language, mid-sentence.
        local_language_name=lambda code: Locale.parse(code).get_language_name(current),
        text_direction=lambda code: languages.get(code).direction,
        # Arabic left in a French or English title (no translation yet) is marked as Arabic.
        mark_arabic=lambda text: mark_arabic_runs(str(text), language.direction),
    )
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    catalog = load_translations(Path(theme_path) / "translations", current)
    env.install_gettext_translations(catalog, newstyle=True)
