"""Pelican settings for publishing: absolute URLs for the public site."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403

# GitHub Pages project sites live under /<repository>/; set SITEURL to match.
SITEURL = os.environ.get("SITEURL", "https://example.github.io/atlas-archive")
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
LOAD_CONTENT_CACHE = False
