"""Pelican settings for publishing: absolute URLs for the public site."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403

# The public address, e.g. https://USER.github.io/REPOSITORY for a project site.
# There is no default: links in feeds and the sitemap must point at the real site.
# Its form (http(s), no query, fragment or credentials) is checked at start-up, by
# the build driver and by the trilingual plugin (plugins/trilingual/siteurl.py).
SITEURL = os.environ.get("SITEURL", "").strip()
if not SITEURL:
    raise SystemExit(
        "publishconf.py: set SITEURL to the public address of the site, "
        "e.g. SITEURL=https://USER.github.io/REPOSITORY"
    )
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
LOAD_CONTENT_CACHE = False
# Drafts (Status: draft) are previewed by development builds only: never published.
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
