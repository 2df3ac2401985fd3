"""Bring a newsroom's archive in: a WordPress export (WXR) or an RSS/Atom feed as articles.

Not a Pelican plugin: ``invoke import`` (tasks.py) calls ``run.import_archive``. One
job per module: ``wxr`` and ``feeds`` read, ``cleanup`` tidies WordPress HTML,
``images`` copies uploads, ``markdown`` converts, ``slugs`` and ``language`` decide
names and languages, ``articles`` renders and recognises imported files, ``run``
decides what to write and reports.
"""
