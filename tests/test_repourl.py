"""The one repository-URL normaliser: git remotes and configured URLs → the repository's web page."""

from __future__ import annotations

import pytest

from generator.repourl import web_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # scp-like and ssh remotes
        ("git@github.com:owner/repo.git", "https://github.com/owner/repo"),
        ("git@github.com:owner/repo", "https://github.com/owner/repo"),
        ("ssh://git@github.com/owner/repo.git", "https://github.com/owner/repo"),
        ("ssh://git@github.com:22/o/r.git", "https://github.com/o/r"),  # the port is ssh's
        ("ssh://git@gitlab.com:22/group/sub/repo.git", "https://gitlab.com/group/sub/repo"),
        ("git+ssh://git@github.com/o/r", "https://github.com/o/r"),
        ("git://codeberg.org/owner/repo.git", "https://codeberg.org/owner/repo"),
        ("git@bitbucket.org:owner/repo.git", "https://bitbucket.org/owner/repo"),
        # https and http: credentials, `www.`, `.git` and trailing slashes dropped
        ("https://github.com/owner/repo.git", "https://github.com/owner/repo"),
        ("https://user:secret-token@github.com/owner/repo.git", "https://github.com/owner/repo"),
        ("https://oauth2:tok@gitlab.com/g/r.git/", "https://gitlab.com/g/r"),
        ("https://www.github.com/owner/repo/", "https://github.com/owner/repo"),
        ("HTTPS://GitHub.com/o/r", "https://github.com/o/r"),
        ("http://github.com/o/r.git", "http://github.com/o/r"),
        # other hosts: not for a git remote (where its web pages are is unknown)
        ("git@git.example.com:owner/repo.git", None),
        ("https://git.example.com/owner/repo", None),
        # not a repository address
        ("/srv/git/repo.git", None),
        ("../repo", None),
        ("C:\\repos\\board", None),
        ("https://github.com/owner", None),
        ("", None),
        (None, None),
    ],
)
def test_git_remotes(url: str | None, expected: str | None) -> None:
    assert web_url(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://git.example.com/owner/repo", "https://git.example.com/owner/repo"),
        ("https://u:pw@git.example.com:8443/o/r.git/", "https://git.example.com:8443/o/r"),
        ("http://localhost:3000/o/r", "http://localhost:3000/o/r"),
        ("git@git.example.com:owner/repo.git", "https://git.example.com/owner/repo"),
        ("ssh://git@git.example.com:2222/o/r.git", "https://git.example.com/o/r"),
        ("ssh://git@github.com:22/o/r.git", "https://github.com/o/r"),
        ("https://github.com/o/r.git", "https://github.com/o/r"),
        ("https://git.example.com/", None),
        ("not a url", None),
    ],
)
def test_configured_urls_on_any_host(url: str, expected: str | None) -> None:
    assert web_url(url, any_host=True) == expected
