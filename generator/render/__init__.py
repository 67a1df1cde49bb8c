"""Renderers: the only code that writes (the site's pages, the mkdocs build, the machine outputs)."""
