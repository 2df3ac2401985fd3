"""The site's languages and where each language section lives: pure, no Pelican."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from babel import Locale
from babel.core import get_global

_LANGUAGE_KEYS = {"prefix", "locale", "sitename", "og_locale", "author"}
_TOP_KEYS = {"languages", "default"}


class ConfigError(ValueError):
    """The TRILINGUAL setting is malformed; the message names the bad key."""


@dataclass(frozen=True)
class Language:
    """One language section: code, URL prefix, Babel locale and localized site name.

    ``og_locale`` is the language_TERRITORY form OpenGraph wants (ar_MA, fr_FR);
    empty, it is derived from ``locale``. ``author`` names the site's default
    author in this language (pages and feeds); empty, ``AUTHOR`` is used.
    """

    code: str
    prefix: str
    locale: str
    sitename: str
    og_locale: str = ""
    author: str = ""

    @property
    def share_locale(self) -> str:
        """Return the OpenGraph locale: the configured one, else language_TERRITORY.

        >>> Language("fr", "fr", "fr", "").share_locale
        'fr_FR'
        >>> Language("ar", "", "ar_MA", "").share_locale
        'ar_MA'
        """
        if self.og_locale:
            return self.og_locale
        locale = Locale.parse(self.locale)
        if not locale.territory:
            # CLDR's likely subtags give a language its usual territory (fr -> FR).
            likely = get_global("likely_subtags").get(locale.language, "")
            locale = Locale.parse(likely) if likely else locale
        return f"{locale.language}_{locale.territory}" if locale.territory else locale.language

    @property
    def direction(self) -> str:
        """Return "rtl" or "ltr" as Babel's CLDR data says for this locale."""
        return Locale.parse(self.locale).text_direction

    @property
    def native_name(self) -> str:
        """Return the language's name in itself, capitalized (e.g. "Français")."""
        name = Locale.parse(self.code).get_language_name(self.code) or self.code
        return name[:1].upper() + name[1:]


@dataclass(frozen=True)
class SiteLanguages:
    """All language sections in display order, and the original (x-default) language."""

    languages: tuple[Language, ...]
    default: str

    @classmethod
    def from_setting(cls, value: Mapping) -> SiteLanguages:
        """Parse and check the TRILINGUAL setting, naming any unknown key or bad value."""
        if not isinstance(value, Mapping):
            raise ConfigError("TRILINGUAL must be a dict")
        unknown = set(value) - _TOP_KEYS
        if unknown:
            raise ConfigError(f"TRILINGUAL: unknown key(s) {sorted(unknown)}")
        raw = value.get("languages")
        if not isinstance(raw, Mapping) or not raw:
            raise ConfigError("TRILINGUAL['languages'] must be a non-empty dict")
        languages = []
        prefixes = set()
        for code, spec in raw.items():
            unknown = set(spec) - _LANGUAGE_KEYS
            if unknown:
                raise ConfigError(f"TRILINGUAL['languages'][{code!r}]: unknown {sorted(unknown)}")
            prefix = str(spec.get("prefix", code)).strip("/")
            if prefix in prefixes:
                raise ConfigError(f"TRILINGUAL['languages'][{code!r}]: prefix {prefix!r} reused")
            prefixes.add(prefix)
            locale = str(spec.get("locale", code))
            try:
                Locale.parse(locale)
            except (ValueError, LookupError) as exc:
                raise ConfigError(
                    f"TRILINGUAL['languages'][{code!r}]: unknown locale {locale!r}"
                ) from exc
            og_locale = str(spec.get("og_locale", ""))
            if og_locale and not re.fullmatch(r"[a-z]{2,3}_[A-Z]{2}", og_locale):
                raise ConfigError(
                    f"TRILINGUAL['languages'][{code!r}]: og_locale {og_locale!r} is not "
                    "language_TERRITORY (for example fr_FR)"
                )
            sitename, author = (str(spec.get(key, "")) for key in ("sitename", "author"))
            languages.append(Language(code, prefix, locale, sitename, og_locale, author))
        default = value.get("default", languages[0].code)
        if default not in raw:
            raise ConfigError(f"TRILINGUAL['default']: {default!r} is not a configured language")
        return cls(tuple(languages), default)

    @property
    def codes(self) -> tuple[str, ...]:
        """Return the language codes in display order."""
        return tuple(lang.code for lang in self.languages)

    def get(self, code: str) -> Language:
        """Return the Language for ``code`` or raise KeyError."""
        for lang in self.languages:
            if lang.code == code:
                return lang
        raise KeyError(code)

    def section_url(self, root: str, code: str) -> str:
        """Return the base URL of a language section, without trailing slash.

        >>> langs = SiteLanguages((Language("ar", "", "ar_MA", ""),
        ...                        Language("fr", "fr", "fr", "")), "ar")
        >>> langs.section_url("", "fr"), langs.section_url("https://x.org/a", "ar")
        ('/fr', 'https://x.org/a')
        """
        prefix = self.get(code).prefix
        root = root.rstrip("/")
        return f"{root}/{prefix}" if prefix else root

    def url(self, root: str, code: str, path: str) -> str:
        """Return the URL of ``path`` (relative to its section) in language ``code``.

        A trailing ``index.html`` is dropped so that sections are linked as folders.

        >>> langs = SiteLanguages((Language("ar", "", "ar_MA", ""),
        ...                        Language("fr", "fr", "fr", "")), "ar")
        >>> langs.url("", "fr", "2016/x.html"), langs.url("", "ar", "index.html")
        ('/fr/2016/x.html', '/')
        """
        path = path.lstrip("/")
        if path == "index.html" or path.endswith("/index.html"):
            path = path[: -len("index.html")]
        return f"{self.section_url(root, code)}/{path}"
