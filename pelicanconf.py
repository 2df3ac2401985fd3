"""Pelican settings for the trilingual Moroccan news archive (development build)."""

import os

AUTHOR = "فريق الأرشيف"
SITENAME = "أرشيف الأخبار البلدية"
SITEURL = ""

PATH = "content"
# The project: this file's folder. A symbolic link in the content that leads outside
# it is left out of the site, with a warning (plugins/autotranslate/exclusions.py).
PROJECT_ROOT = os.path.dirname(os.path.abspath(__file__))
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
# Translation catalogs live under content/ but are not content to render.
ARTICLE_EXCLUDES = ["translations"]
PAGE_EXCLUDES = ["translations"]

TIMEZONE = "Africa/Casablanca"
DEFAULT_LANG = "ar"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"

PLUGIN_PATHS = ["plugins"]
PLUGINS = ["autotranslate", "trilingual"]

THEME = "themes/atlas"

# One full section per language: Arabic at /, French at /fr/, English at /en/.
# Build with `invoke build` (plugins/trilingual/sections.py runs Pelican once per
# language); a plain `pelican` run gives the Arabic section only.
# og_locale: what a shared link's card says the language is (language_TERRITORY).
TRILINGUAL = {
    "languages": {
        "ar": {
            "prefix": "",
            "locale": "ar_MA",
            "og_locale": "ar_MA",
            "sitename": "أرشيف الأخبار البلدية",
        },
        "fr": {
            "prefix": "fr",
            "locale": "fr",
            "og_locale": "fr_FR",
            "sitename": "Archives des actualités municipales",
            "author": "Équipe des archives",
        },
        "en": {
            "prefix": "en",
            "locale": "en",
            "og_locale": "en_US",
            "sitename": "Municipal News Archive",
            "author": "Archive team",
        },
    },
    "default": "ar",
}

# Shared links and search engines (plugins/trilingual/sharing.py).
SHARING = {
    # True adds <meta name="robots" content="noindex"> to translations no person
    # has reviewed (see README, "Search engines and shared links").
    "noindex_machine_translations": False,
    # schema.org type of AUTHOR in each article's JSON-LD: "Organization" or "Person".
    "author_type": "Organization",
    # The publisher's logo in JSON-LD, relative to the site root.
    "publisher_logo": "theme/images/apple-touch-icon.png",
    # The site's account for Twitter cards ("@name"), or "".
    "twitter_site": "",
}

# URLs are relative to a language section; the section driver overrides the
# *_LANG_* patterns so that each run writes only its own language.
ARTICLE_URL = "{date:%Y}/{slug}.html"
ARTICLE_SAVE_AS = ARTICLE_URL
ARTICLE_LANG_URL = ARTICLE_URL
ARTICLE_LANG_SAVE_AS = ""
# Pages (About, Contact) at the section root: /about.html, /fr/about.html.
PAGE_URL = "{slug}.html"
PAGE_SAVE_AS = PAGE_URL
YEAR_ARCHIVE_URL = "{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = "{date:%Y}/index.html"
MONTH_ARCHIVE_URL = "{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = "{date:%Y}/{date:%m}/index.html"
DIRECT_TEMPLATES = ["index", "categories", "tags", "archives", "404", "search"]
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""

# Machine translation of Arabic articles into French and English.
AUTOTRANSLATE = {
    "source": "ar",
    "targets": ["en", "fr"],
    "pivot": "en",
    "engine": "argos",
    "catalog_dir": "translations",
    "strict": False,
    # Arabic category and tag pages get English slugs (/category/local-affairs.html).
    "term_slugs_from": "en",
}

DEFAULT_PAGINATION = 10
# Every listing is paginated, so no page links more than DEFAULT_PAGINATION articles
# (archives.html links to the years and months; the period pages list their articles).
PAGINATED_TEMPLATES = {
    "index": None,
    "tag": None,
    "category": None,
    "author": None,
    "period_archives": None,
}
# Feeds show the newest articles only, whatever the archive's size.
FEED_MAX_ITEMS = 20
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = ".cache/pelican"

# Per-section feeds: FEED_ATOM/FEED_RSS list only the section's own language
# (FEED_ALL_* would mix in every translation, with links into the wrong section).
FEED_ATOM = "feeds/all.atom.xml"
FEED_RSS = "feeds/all.rss.xml"
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/{slug}.rss.xml"
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
