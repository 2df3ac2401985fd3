"""Pelican settings for the trilingual Moroccan news archive (development build)."""

AUTHOR = "فريق الأرشيف"
SITENAME = "أرشيف الأخبار البلدية"
SITEURL = ""

PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
# Translation catalogs live under content/ but are not content to render.
ARTICLE_EXCLUDES = ["translations"]
PAGE_EXCLUDES = ["translations"]

TIMEZONE = "Africa/Casablanca"
DEFAULT_LANG = "ar"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"

PLUGIN_PATHS = ["plugins"]
PLUGINS = ["autotranslate"]

ARTICLE_URL = "{date:%Y}/{slug}.html"
ARTICLE_SAVE_AS = ARTICLE_URL
ARTICLE_LANG_URL = "{lang}/{date:%Y}/{slug}.html"
ARTICLE_LANG_SAVE_AS = ARTICLE_LANG_URL

# Machine translation of Arabic articles into French and English.
AUTOTRANSLATE = {
    "source": "ar",
    "targets": ["en", "fr"],
    "pivot": "en",
    "engine": "argos",
    "catalog_dir": "content/translations",
    "strict": False,
}

DEFAULT_PAGINATION = 10
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = ".cache/pelican"

FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/{slug}.rss.xml"
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
