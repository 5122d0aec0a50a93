"""The web UI at ``/ui/``: a read-only door for people, over the same index and tokens as the API.

The browser is given one page shell (``/ui/…``, no data, no token needed) and a little
JavaScript that keeps the caller's token in session storage and fetches each page's content
from ``/ui/f/…`` with it as a bearer token, so the token never appears in a URL or a server
log. The content is rendered here, on the server, from the index and the domain (the
linter, the verifier, the changelog) with every user-controlled string escaped.
"""

from registry.api.ui.routes import install_ui

__all__ = ["install_ui"]
