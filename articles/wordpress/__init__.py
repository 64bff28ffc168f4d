"""Moving a WordPress site to Newsroom: read a WXR export (wxr.py), convert its markup
(markup.py) and write it to the database (importer.py)."""
