"""The documentation site builds, and what it says follows the code.

The site is built once with ``mkdocs build --strict`` (broken links, missing pages and docstring
problems fail it). The other tests compare the pages with what they describe: the command
reference with the argparse parser, the records page with the JSON Schema and the label sets,
the API reference with the public names, the benchmarks page with the scripts.
"""
from __future__ import annotations

import argparse
import importlib
import inspect
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

import policytext
from policytext import labels
from policytext.cli import build_parser
from policytext.record import Announcement, json_schema

from .conftest import ROOT, validate

DOCS = ROOT / "docs"
RECORD_PAGE = DOCS / "record.md"
ANALYSIS_MODULES = ("policytext.tables", "policytext.analysis", "policytext.plotting")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    pytest.importorskip("mkdocs", reason="mkdocs is not installed (pip install '.[test]')")
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
                           str(ROOT / "mkdocs.yml"), "--site-dir", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stdout}\n{done.stderr}"
    return out


def page(site: Path, name: str):
    return lxml_html.fromstring((site / name / "index.html").read_text("utf-8"))


def text_of(element) -> str:
    return " ".join(element.text_content().split())


# -- the build ----------------------------------------------------------------------------------
def test_site_loads_nothing_from_the_network(site):
    for path in site.rglob("*.html"):
        tree = lxml_html.fromstring(path.read_text("utf-8"))
        remote = [url for url in tree.xpath("//script/@src | //link/@href | //img/@src")
                  if re.match(r"(https?:)?//", url)]
        assert not remote, f"{path.relative_to(site)} loads {remote}"


# -- command line -------------------------------------------------------------------------------
def commands(parser: argparse.ArgumentParser, prefix: str = "policytext"):
    """(full command, parser, help) for the program and every subcommand, nested ones included."""
    yield prefix, parser, None
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for name, sub in action.choices.items():
                for full, p, h in commands(sub, f"{prefix} {name}"):
                    yield full, p, h if p is not sub else helps.get(name)


def section(tree, heading_id: str) -> list:
    """A heading and the elements after it, up to the next heading of the same level."""
    found = tree.xpath(f'//*[@id="{heading_id}"]')
    assert found, f"no heading #{heading_id} on the command-line page"
    heading = found[0]
    elements = [heading]
    for sibling in heading.itersiblings():
        if sibling.tag == heading.tag:
            break
        elements.append(sibling)
    return elements


def test_cli_page_documents_every_subcommand_and_option(site):
    tree = page(site, "cli")
    listed = list(commands(build_parser()))
    assert len(listed) > 1
    for full, parser, summary in listed:
        elements = section(tree, full.replace(" ", "-"))
        text = " ".join(text_of(e) for e in elements)
        description = " ".join((parser.description or summary or "").split())
        assert description[1:] in text, (full, description)
        rows = {}  # first cell of each argument row -> the whole row
        for element in elements:
            for row in element.xpath(".//tr[td]"):
                rows[text_of(row.xpath("td")[0])] = text_of(row)
        for action in parser._actions:
            if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
                continue
            name = ", ".join(action.option_strings) or action.metavar or action.dest
            assert name in rows, f"{full}: no row for {name}"
            for choice in action.choices or ():
                assert str(choice) in rows[name], (full, name, choice)
            if action.nargs != 0 and action.default not in (None, argparse.SUPPRESS):
                assert str(action.default) in rows[name], (full, name, action.default)
            if action.help and "%(" not in action.help:
                assert " ".join(action.help.split())[:30] in rows[name], (full, name, action.help)
    assert "--help" in text_of(tree)


def test_cli_page_summary_links_every_subcommand(site):
    tree = page(site, "cli")
    links = set(tree.xpath('//div[@role="main"]//table//a/@href'))
    for full, _, _ in list(commands(build_parser()))[1:]:
        assert f"#{full.replace(' ', '-')}" in links, f"the command table of cli.md does not list {full}"


# -- records ------------------------------------------------------------------------------------
def schema_keys(schema: dict) -> set[str]:
    keys = set()
    for key, sub in schema.get("properties", {}).items():
        keys.add(key)
        keys |= schema_keys(sub)
        keys |= schema_keys(sub.get("items", {}) if isinstance(sub.get("items"), dict) else {})
    return keys


def table_after(markdown: str, heading: str) -> list[str]:
    """First-column codes of the first table under ``heading``."""
    body = markdown.split(f"\n{heading}\n", 1)[1].split("\n#", 1)[0]
    table = [line for line in body.splitlines() if line.startswith("|")][2:]  # past header and rule
    rows = [m.group(1) for line in table if (m := re.match(r"\| `([^`]+)`", line))]
    assert rows and len(rows) == len(table), f"no table of `codes` under {heading!r}"
    return rows


def test_record_page_describes_every_field_of_the_schema():
    markdown = RECORD_PAGE.read_text("utf-8")
    documented = set(re.findall(r"`([a-z_0-9]+)`", markdown))
    missing = schema_keys(json_schema()) - documented
    assert not missing, f"docs/record.md does not describe {sorted(missing)}"


@pytest.mark.parametrize("heading, label_set", [
    ("### Document types", labels.DOC_TYPES),
    ("### Topics", labels.TOPICS),
    ("### Official roles", labels.ROLES),
    ("### Date types", labels.DATE_TYPES),
])
def test_record_page_label_tables_match_the_label_sets(heading, label_set):
    assert table_after(RECORD_PAGE.read_text("utf-8"), heading) == list(label_set)


def test_record_page_names_every_granularity_and_staff_role():
    markdown = RECORD_PAGE.read_text("utf-8")
    for label in labels.GRANULARITIES + labels.STAFF_ROLES:
        assert f"`{label}`" in markdown, label


def test_record_page_example_is_a_valid_record():
    markdown = RECORD_PAGE.read_text("utf-8")
    blocks = re.findall(r"```json\n(.*?)\n```", markdown, flags=re.S)
    assert blocks, "docs/record.md has no JSON example"
    example = json.loads(blocks[0])
    assert set(example) == set(json_schema()["properties"])
    assert validate(Announcement.from_dict(example)) == example  # schema, spans, round trip


def test_record_page_warnings_are_ones_policytext_gives():
    body = RECORD_PAGE.read_text("utf-8").split("\n## Warnings\n", 1)[1].split("\n## ", 1)[0]
    codes = re.findall(r"^\| `([a-z_]+)", body, flags=re.M)
    assert codes
    source = "\n".join(p.read_text("utf-8") for p in (ROOT / "src" / "policytext").rglob("*.py"))
    for code in codes:
        assert f'"{code}' in source, f"no warning {code!r} in the code"


# -- API reference ------------------------------------------------------------------------------
def documented_ids(site: Path) -> set[str]:
    ids = set()
    for path in (site / "reference").rglob("*.html"):
        ids |= set(lxml_html.fromstring(path.read_text("utf-8")).xpath("//@id"))
    return ids


def test_api_reference_documents_the_public_api(site):
    ids = documented_ids(site)
    for name in policytext.__all__:
        if name.startswith("__"):
            continue
        obj = getattr(policytext, name)
        assert f"{obj.__module__}.{name}" in ids, f"policytext.{name} is not in the API reference"


@pytest.mark.parametrize("module_name", ANALYSIS_MODULES)
def test_api_reference_documents_the_analysis_modules(site, module_name):
    module = importlib.import_module(module_name)
    public = [name for name, obj in inspect.getmembers(module, inspect.isfunction)
              if not name.startswith("_") and obj.__module__ == module_name]
    assert public
    ids = documented_ids(site)
    missing = [name for name in public if f"{module_name}.{name}" not in ids]
    assert not missing, f"{module_name} functions missing from the API reference: {missing}"


# -- benchmarks and notebooks -------------------------------------------------------------------
def test_benchmarks_page_covers_every_script():
    markdown = (DOCS / "benchmarks.md").read_text("utf-8")
    scripts = {p.name for p in (ROOT / "benchmarks").glob("*.py")}
    named = set(re.findall(r"benchmarks/(\w+\.py)", markdown))
    assert named <= scripts, f"benchmarks.md names scripts that do not exist: {sorted(named - scripts)}"
    assert scripts <= named, f"benchmarks.md does not mention {sorted(scripts - named)}"


def test_researchers_page_lists_every_notebook(site):
    text = text_of(page(site, "researchers"))
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert f"notebooks/{notebook.name}" in text


def test_crawl_page_guarantees_name_tests_that_exist():
    markdown = (DOCS / "crawl.md").read_text("utf-8")
    body = markdown.split("\n## What survives what\n", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`(test_\w+)`", body))
    assert named, "the guarantees table names no test"
    source = "\n".join(p.read_text("utf-8") for p in (ROOT / "tests").glob("test_crawl*.py"))
    missing = sorted(n for n in named if f"def {n}(" not in source)
    assert not missing, f"docs/crawl.md cites tests that do not exist: {missing}"
