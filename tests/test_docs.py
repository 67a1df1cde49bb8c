"""The documentation keeps its promises: four quadrants, every page in the nav, references that
match the code (rules, commands, configuration, ack states, failure modes), valid JSON Schemas, and
both sites build — the project's own docs with `mkdocs build --strict`, the status site's copy.
"""

from __future__ import annotations

import dataclasses
import html
import json
import os
import re
import tomllib
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import rules as registry
from generator.analysis import ACK_STATES, MESSAGE_TYPES
from generator.cli import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, main
from generator.commands import parser as command_parser
from generator.config import Config, parse_config
from generator.render.formats import FORMATS
from generator.render.reference import MARKERS, RULE_LINK, expand, subcommands
from generator.rules.base import DOC_SECTIONS, FAILURE_MODES, Rule
from generator.rules.illegal_ack_transition import REACHABLE
from generator.tracking import TRACKER_TITLES

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
NOW = "2026-06-05T12:00Z"
QUADRANTS = {
    "Tutorial": "tutorial",
    "How-to guides": "how-to",
    "Reference": "reference",
    "Explanation": "explanation",
}


def _pages() -> list[str]:
    return sorted(
        p.relative_to(DOCS).as_posix()
        for p in DOCS.rglob("*.md")
        if not any(part.startswith((".", "_")) for part in p.relative_to(DOCS).parts)
    )


def _nav() -> list[Any]:
    return list(yaml.safe_load((DOCS / "_nav.yml").read_text(encoding="utf-8"))["nav"])


def _nav_paths(items: list[Any]) -> Iterator[str]:
    for item in items:
        if isinstance(item, str):
            yield item
        else:
            for value in item.values():
                yield from _nav_paths(value if isinstance(value, list) else [value])


class _Text(HTMLParser):
    """The visible text of the page's article, without scripts, styles or the nav."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0
        self._in_article = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article" or self._in_article:
            self._in_article += 1
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if self._in_article:
            self._in_article -= 1
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._in_article and not self._skip:
            self.parts.append(data)


def page_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(html.unescape(" ".join(parser.parts)).split())


def _inline_text(line: str) -> str:
    """One line of prose without its markdown: code spans keep their content verbatim."""
    out = []
    for i, part in enumerate(re.split(r"(`+[^`]*`+)", line)):
        if i % 2:
            out.append(part.strip("`"))
            continue
        part = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", part)
        part = part.replace("**", "")
        out.append(re.sub(r"(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])", "", part))
    return "".join(out)


def markdown_text(text: str) -> str:
    """Markdown reduced to the text a reader sees, for comparing with a rendered page."""
    out: list[str] = []
    prose: list[str] = []  # joined before inline markup is read: a code span may wrap lines
    fence = ""  # the open fence's marker: only a run of the same characters closes it
    for line in text.splitlines():
        marker = re.match(r"^\s*(`{3,}|~{3,})", line)
        if marker and (not fence or marker.group(1).startswith(fence)):
            fence = "" if fence else marker.group(1)
            out.append(_inline_text(" ".join(prose)))
            prose = []
        elif fence:
            out.append(line)
        else:
            prose.append(re.sub(r"^\s*(?:[-*+]|\d+\.)\s+|^#+\s*|^>\s?", "", line))
    out.append(_inline_text(" ".join(prose)))
    return " ".join(" ".join(out).split())


# --- structure ------------------------------------------------------------------------------------


def test_four_quadrants_each_with_a_landing_page() -> None:
    nav = _nav()
    assert nav[0] == "index.md"
    sections = {k: v for item in nav[1:] if isinstance(item, dict) for k, v in item.items()}
    assert list(sections) == list(QUADRANTS), "the four Diátaxis sections, in order"
    for title, folder in QUADRANTS.items():
        pages = list(_nav_paths(sections[title]))
        assert pages[0] == f"{folder}/index.md", f"{title} starts with its landing page"
        assert len(pages) >= 2, f"{title} has content beyond its landing page"
        assert all(p.startswith(f"{folder}/") for p in pages)


def test_every_page_is_in_the_nav_exactly_once() -> None:
    listed = list(_nav_paths(_nav()))
    assert sorted(listed) == _pages(), "docs/_nav.yml and the files of docs/ differ"
    assert len(listed) == len(set(listed))


def test_rule_links_and_markers_name_real_things() -> None:
    for rel in _pages():
        text = (DOCS / rel).read_text(encoding="utf-8")
        for m in RULE_LINK.finditer(text):
            assert m.group("name") in registry.BY_NAME, f"{rel}: rule:{m.group('name')}"
        for marker in re.findall(r"<!--\s*statusboard:([a-z-]+)\s*-->", text):
            assert marker in MARKERS, f"{rel}: unknown marker {marker}"
        problems: list[str] = []
        expand(text, rel, lambda n: f"rules/{n}.md", warn=problems.append)
        assert problems == []


# --- the two sites --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This project's own documentation site, built from mkdocs.yml with --strict."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    out = tmp_path_factory.mktemp("project-docs") / "site"
    saved = os.environ.get("NO_MKDOCS_2_WARNING")
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    config = load_config(str(ROOT / "mkdocs.yml"), strict=True, site_dir=str(out))
    try:
        build(config)  # raises Abort on any warning: a broken link, a missing page, a bad marker
    finally:
        config.plugins.on_shutdown()
        if saved is None:
            os.environ.pop("NO_MKDOCS_2_WARNING", None)
    return out


@pytest.fixture(scope="module")
def status_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's status site, which ships these docs under docs/."""
    out = tmp_path_factory.mktemp("status-docs") / "site"
    assert main(["demo", "-o", str(out), "--now", NOW]) == 0
    return out


def test_the_project_docs_build_strict_with_every_rule_page(project_site: Path) -> None:
    for rel in _pages():
        assert (project_site / rel.replace(".md", ".html")).is_file(), rel
    for rule in registry.RULES:
        assert (project_site / "reference" / "rules" / f"{rule.name}.html").is_file(), rule.name
    catalogue = (project_site / "reference" / "rules.html").read_text(encoding="utf-8")
    for rule in registry.RULES:
        assert f'href="rules/{rule.name}.html"' in catalogue, rule.name


def test_the_status_site_ships_the_docs_linked_to_its_rule_pages(status_site: Path) -> None:
    for rel in _pages():
        assert (status_site / "docs" / rel.replace(".md", ".html")).is_file(), rel
    for schema in ("status", "lint"):
        assert (status_site / "docs" / "reference" / "schemas" / f"{schema}.schema.json").is_file()
    catalogue = (status_site / "docs" / "reference" / "rules.html").read_text(encoding="utf-8")
    for rule in registry.RULES:
        assert f'href="../../rules/{rule.name}.html"' in catalogue, rule.name
        assert (status_site / "rules" / f"{rule.name}.html").is_file()
    assert "statusboard:" not in catalogue, "a marker was left unexpanded"


# --- rules: `statusboard rules NAME` and the rule pages say the same --------------------------------


def _cli_rule(name: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["rules", name]) == 0
    return capsys.readouterr().out


def _blocks(cli_output: str) -> list[str]:
    """The CLI's documentation of a rule as comparable pieces: each paragraph, each code block."""
    body = cli_output.split("\n", 2)[2]
    pieces = re.split(r"(^```.*?^```$)", body, flags=re.M | re.S)
    out: list[str] = []
    for i, piece in enumerate(pieces):
        parts = [piece] if i % 2 else re.split(r"\n\s*\n", piece)
        out += [markdown_text(p) for p in parts if markdown_text(p)]
    return out


@pytest.mark.parametrize("rule", registry.RULES, ids=[r.name for r in registry.RULES])
def test_rule_pages_match_statusboard_rules_name(
    rule: Rule, status_site: Path, project_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _cli_rule(rule.name, capsys)
    assert out.startswith(f"{rule.name} ({rule.code}, default severity {rule.severity.value})")
    for page in (
        status_site / "rules" / f"{rule.name}.html",
        project_site / "reference" / "rules" / f"{rule.name}.html",
    ):
        text = page_text(page)
        assert rule.code in text and rule.severity.value in text
        for title in DOC_SECTIONS:
            assert title in text, f"{page}: section {title}"
        # Compared without whitespace: the page breaks lines and spaces tags its own way.
        squeezed = "".join(text.split())
        for block in _blocks(out):
            assert "".join(block.split()) in squeezed, f"{page.name} lacks: {block[:80]}"


# --- commands ---------------------------------------------------------------------------------


def test_the_command_reference_lists_every_command_and_option(project_site: Path) -> None:
    text = page_text(project_site / "reference" / "commands.html")
    for name, sub in subcommands(command_parser()).items():
        assert f"statusboard {name}" in text
        for action in sub._actions:
            if action.dest == "help":
                continue
            for flag in action.option_strings:
                assert flag in text, f"{name} {flag}"
            if action.help:
                assert markdown_text(action.help) in text, f"{name}: {action.help}"


def test_the_hand_written_parts_of_the_command_reference_match_the_code() -> None:
    text = (DOCS / "reference" / "commands.md").read_text(encoding="utf-8")
    formats = re.findall(r"^\| `(\w+)` \|", text.split("## Lint output formats")[1], re.M)
    assert formats == list(FORMATS), "the --format table lists exactly the formats"
    statuses = re.findall(r"^\| `(\d)` \|", text.split("## Exit status")[1], re.M)
    assert [int(s) for s in statuses] == [EXIT_OK, EXIT_FINDINGS, EXIT_ERROR]


# --- configuration ---------------------------------------------------------------------------------


def _config_keys() -> dict[str, list[str]]:
    """{section: keys} of the configuration, top-level keys under ''."""
    keys: dict[str, list[str]] = {"": []}
    for f in dataclasses.fields(Config):
        if f.name in ("source",):
            continue
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else None
        if dataclasses.is_dataclass(default):
            keys[f.name] = [g.name for g in dataclasses.fields(default)]
        elif f.name != "rules":
            keys[""].append(f.name)
    return keys


def test_every_configuration_key_is_documented_in_its_section() -> None:
    text = (DOCS / "reference" / "configuration.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", text, flags=re.M)
    by_title = {s.split("\n", 1)[0].strip(): s for s in sections[1:]}
    for section, keys in _config_keys().items():
        title = "Top level" if not section else f"`[{section}]`"
        assert title in by_title, f"configuration.md has no section {title}"
        for key in keys:
            assert f"| `{key}` |" in by_title[title], f"{section or 'top level'}.{key} undocumented"
    assert "`[rules]`" in by_title


def test_the_documented_defaults_are_the_defaults() -> None:
    text = (DOCS / "reference" / "configuration.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", text, re.S)
    assert block is not None
    parsed = parse_config(tomllib.loads(block.group(1)), "configuration.md")
    assert dataclasses.replace(parsed, source=None) == Config()
    # The documented block names every key (commented out where the default is "unset").
    for keys in _config_keys().values():
        for key in keys:
            assert re.search(rf"^#? ?{key} = ", block.group(1), re.M), f"{key} not in the block"


# --- ack states, message types, failure modes -------------------------------------------------------


def test_ack_states_and_message_types_match_the_code() -> None:
    text = (DOCS / "reference" / "ack-states.md").read_text(encoding="utf-8")
    states_part, types_part = text.split("## Message types")
    assert re.findall(r"^\| `(\w+)` \|", states_part, re.M) == list(ACK_STATES)
    assert re.findall(r"^\| `(\w+)` \|", types_part, re.M) == list(MESSAGE_TYPES)
    final = sorted(s for s, nxt in REACHABLE.items() if not nxt)
    assert f"nothing follows `{final[1]}` or `{final[0]}`" in text, "terminal states"
    only_done = sorted(s for s, nxt in REACHABLE.items() if nxt == frozenset({"done"}))
    assert f"`{only_done[1]}` and `{only_done[0]}` may only be followed by `done`" in text
    assert REACHABLE["sent"] == frozenset(ACK_STATES) - {"sent"}, "any later state directly"


def test_every_failure_mode_is_explained_with_its_rules(project_site: Path) -> None:
    text = (DOCS / "explanation" / "failure-modes.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", text, re.M)
    for key, description in FAILURE_MODES.items():
        assert description.split(":")[0] in headings, f"failure mode {key} is not explained"
    built = page_text(project_site / "explanation" / "failure-modes.html")
    for rule in registry.RULES:
        assert rule.name in built, f"{rule.name} missing from the failure-mode table"


# --- JSON Schemas ------------------------------------------------------------------------------------


def _schema(name: str) -> dict[str, Any]:
    text = (DOCS / "reference" / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


def _branches(schema: Any, root: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """`schema` and every subschema it stands for: `$ref`s followed, `anyOf`/`oneOf`/`allOf` opened."""
    if not isinstance(schema, dict):
        return
    ref = schema.get("$ref")
    if isinstance(ref, str):
        target: Any = root
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        yield from _branches(target, root)
    yield schema
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key, []):
            yield from _branches(sub, root)


def undescribed(
    instance: Any, schema: dict[str, Any], root: dict[str, Any], at: str = ""
) -> list[str]:
    """Every key of `instance` that its schema does not describe, as a JSON path.

    Validation alone cannot see these: the schemas let later versions add keys, so a key written
    without a description (or renamed, and described under its old name only) would pass.
    """
    branches = list(_branches(schema, root))
    out: list[str] = []
    if isinstance(instance, dict):
        described: dict[str, Any] = {}
        for branch in branches:
            described.update(branch.get("properties", {}))
        for key, value in instance.items():
            if key in described:
                out += undescribed(value, described[key], root, f"{at}.{key}")
            else:
                out.append(f"{at}.{key}")
    elif isinstance(instance, list):
        items = [b["items"] for b in branches if isinstance(b.get("items"), dict)]
        for i, value in enumerate(instance):
            if not items:
                break
            out += undescribed(value, items[0], root, f"{at}[{i}]")
    return out


def _outputs(status_site: Path) -> dict[str, Any]:
    return {
        name: json.loads((status_site / f"{name}.json").read_text(encoding="utf-8"))
        for name in ("status", "lint")
    }


@pytest.mark.parametrize("name", ["status", "lint"])
def test_the_demo_outputs_validate_against_the_schemas(name: str, status_site: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="pip install -e '.[test]'")
    schema = _schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    document = _outputs(status_site)[name]
    errors = sorted(
        jsonschema.Draft202012Validator(schema).iter_errors(document), key=lambda e: list(e.path)
    )
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


@pytest.mark.parametrize("name", ["status", "lint"])
def test_every_key_the_demo_outputs_write_is_described(name: str, status_site: Path) -> None:
    schema = _schema(name)
    document = _outputs(status_site)[name]
    missing = sorted({re.sub(r"\[\d+\]", "[]", p) for p in undescribed(document, schema, schema)})
    assert not missing, f"{name}.json writes keys its schema does not describe: {missing}"


def _objects(node: Any, at: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every subschema of a schema that describes properties, with where it is."""
    if isinstance(node, dict):
        if isinstance(node.get("properties"), dict):
            yield at, node
        for key, value in node.items():
            yield from _objects(value, f"{at}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _objects(value, f"{at}/{i}")


# Keys not always written: a finding's commit, and the per-tracker counts of trackers that were read.
OPTIONAL_KEYS = {
    ("lint", "#/items", "commit"),
    *(
        ("status", "#/properties/counts/properties/tasks/properties/by_source", kind)
        for kind in TRACKER_TITLES
    ),
}


def test_every_described_key_is_required_and_every_object_described() -> None:
    # Every key is written on every object, null when empty, so each is required: a renamed or
    # dropped key fails validation even though the schemas accept keys a later version adds.
    for name in ("status", "lint"):
        for at, node in _objects(_schema(name)):
            assert node.get("description") or at == "#", f"{name}.schema.json {at}: no description"
            for key in node["properties"]:
                if (name, at, key) not in OPTIONAL_KEYS:
                    assert key in node.get("required", []), f"{name}.schema.json {at}: {key}"


def test_the_outputs_page_names_every_described_key() -> None:
    text = (DOCS / "reference" / "outputs.md").read_text(encoding="utf-8")
    for name in ("status", "lint"):
        section = text.split(f"## {name}.json", 1)[1].split("\n## ", 1)[0]
        # `key`, `list[]`, `{at, by, state}`: every word written in a code span
        named = {w for span in re.findall(r"`([^`]+)`", section) for w in re.findall(r"\w+", span)}
        for at, node in _objects(_schema(name)):
            for key in node["properties"]:
                assert key in named, f"outputs.md, {name}.json: `{key}` ({at}) is not documented"


def test_the_schemas_reject_a_broken_document(status_site: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="pip install -e '.[test]'")
    schema = _schema("status")
    validator = jsonschema.Draft202012Validator(schema)
    document = _outputs(status_site)["status"]
    document["sessions"][0]["liveness"] = "asleep"
    del document["messages"][0]["acks"]
    errors = list(validator.iter_errors(document))
    assert len(errors) == 2

    # A renamed key fails twice: the old name is required, the new one is not described.
    document = _outputs(status_site)["status"]
    document["tasks"][0]["column"] = document["tasks"][0].pop("lane")
    document["messages"][0]["history"][0]["kind"] = document["messages"][0]["history"][0].pop(
        "event"
    )
    errors = list(validator.iter_errors(document))
    assert sorted(e.message for e in errors) == [
        "'event' is a required property",
        "'lane' is a required property",
    ]
    assert undescribed(document, schema, schema) == [
        ".messages[0].history[0].kind",
        ".tasks[0].column",
    ]
