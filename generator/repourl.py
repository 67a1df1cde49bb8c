"""The one normaliser of repository addresses: a git remote or a configured URL → its web page.

`git@github.com:o/r.git`, `ssh://git@github.com:22/o/r.git`, `git://…`, `https://user:pw@…/o/r/`
all give `https://github.com/o/r`. Credentials are never kept, nor a port of an ssh or git
remote (it is git's, not the web server's), `www.` or a trailing `.git` or `/`. An `http(s)://`
address keeps its scheme and port: it says where the pages are served.
"""

from __future__ import annotations

import re

# The code hosts whose git address is known to have its web page at the same host and path.
KNOWN_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org")

_URL = re.compile(
    r"^(?P<scheme>https?|ssh|git|git\+ssh)://(?:[^@/]*@)?(?P<host>[\w.-]+)(?::(?P<port>\d+))?"
    r"/(?P<path>.+)$",
    re.IGNORECASE,
)
# scp-like syntax, `[user@]host:path`; `C:\…` (a drive letter) and `host://` are not it.
_SCP_URL = re.compile(r"^(?:[^@/\s]+@)?(?P<host>[\w.-]{2,}):(?!//)(?P<path>[^\\].*)$")


def web_url(url: str | None, *, any_host: bool = False) -> str | None:
    """The web page of the repository at `url`, or None when it is not one.

    Without `any_host`, only the code hosts of `KNOWN_HOSTS` give an address (a git remote on
    another server says nothing about where its web pages are); with it, any host does (a URL the
    user configured). The path must name at least an owner and a repository (`o/r`).
    """
    if not url:
        return None
    text = url.strip()
    m = _URL.match(text)
    scheme, port = "https", None
    if m is not None:
        if m["scheme"].lower() in ("http", "https"):
            scheme, port = m["scheme"].lower(), m["port"]
    else:
        m = _SCP_URL.match(text)
        if m is None:
            return None
    host = m["host"].lower().removeprefix("www.")
    if not any_host and host not in KNOWN_HOSTS:
        return None
    path = re.sub(r"/{2,}", "/", m["path"]).strip("/").removesuffix(".git").rstrip("/")
    if "/" not in path or any(c.isspace() for c in path):
        return None
    return f"{scheme}://{host}{':' + port if port else ''}/{path}"
