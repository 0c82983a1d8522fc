"""MkDocs hook: the command reference in ``cli.md`` is written from policytext's own argparse parser.

The page keeps its hand-written introduction; the ``<!-- cli-reference -->`` line is replaced at
build time by one section per subcommand (usage, arguments, defaults, help), so the site always
lists exactly the commands and options that ``policytext`` accepts.
"""
from __future__ import annotations

import argparse

from mkdocs.exceptions import PluginError

PAGE = "cli.md"
MARKER = "<!-- cli-reference -->"
USAGE_WIDTH = 100  # fixed, so the page does not depend on the terminal that builds it


def on_page_markdown(markdown: str, page, config, files) -> str:
    if page.file.src_uri != PAGE:
        return markdown
    if MARKER not in markdown:
        raise PluginError(f"{PAGE} lost its {MARKER} line; the command reference goes there")
    from policytext.cli import build_parser

    return markdown.replace(MARKER, cli_reference(build_parser()))


def cli_reference(parser: argparse.ArgumentParser) -> str:
    """Markdown for the top-level options and every subcommand, in the parser's order."""
    lines = [f"### {parser.prog}", ""]
    if parser.description:
        lines += [_sentence(parser.description), ""]
    lines += [_usage(parser), ""]
    lines += _arguments_table(parser)
    for name, sub, summary in _subcommands(parser):
        lines += _command_section(f"{parser.prog} {name}", sub, summary)
    return "\n".join(lines) + "\n"


def _subcommands(parser: argparse.ArgumentParser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            summaries = {a.dest: a.help for a in action._choices_actions}
            for name, sub in action.choices.items():
                yield name, sub, summaries.get(name)


def _command_section(title: str, parser: argparse.ArgumentParser, summary: str | None) -> list[str]:
    lines = ["", f"### {title}", ""]
    description = parser.description or summary
    if description:
        lines += [_sentence(description), ""]
    lines += [_usage(parser), ""]
    lines += _arguments_table(parser)
    for name, sub, sub_summary in _subcommands(parser):
        lines += _command_section(f"{title} {name}", sub, sub_summary)
    return lines


def _usage(parser: argparse.ArgumentParser) -> str:
    formatter = argparse.HelpFormatter(parser.prog, width=USAGE_WIDTH)
    formatter.add_usage(parser.usage, parser._actions, parser._mutually_exclusive_groups, prefix="")
    return "```text\n" + formatter.format_help().strip() + "\n```"


def _arguments_table(parser: argparse.ArgumentParser) -> list[str]:
    rows = [a for a in parser._actions
            if a.help != argparse.SUPPRESS
            and not isinstance(a, (argparse._HelpAction, argparse._SubParsersAction))]
    if not rows:
        return []
    formatter = argparse.HelpFormatter(parser.prog, width=USAGE_WIDTH)
    lines = ["| argument | value | default | meaning |", "|---|---|---|---|"]
    for action in rows:
        name = ", ".join(action.option_strings) if action.option_strings else (action.metavar or action.dest)
        help_text = formatter._expand_help(action) if action.help else ""
        help_text = help_text.replace(f" (default: {action.default})", "")  # the default has its own column
        lines.append(f"| `{name}` | {_value(action)} | {_default(action)} | {_cell(help_text)} |")
    return lines


def _value(action: argparse.Action) -> str:
    if isinstance(action, argparse._VersionAction):
        return ""
    if action.nargs == 0:
        return "flag"
    if action.choices:
        value = " \\| ".join(f"`{c}`" for c in action.choices)
    elif action.option_strings:
        value = f"`{action.metavar or action.dest.upper()}`"
    else:
        value = "text"
    if action.type is int:
        value += " (integer)"
    elif action.type is float:
        value += " (number)"
    if action.nargs in ("+", "*"):
        value += ", one or more" if action.nargs == "+" else ", any number"
    if action.required and action.option_strings:
        value += ", **required**"
    if action.nargs == "?" and not action.option_strings:
        value += ", optional"
    return value


def _default(action: argparse.Action) -> str:
    if action.nargs == 0 or action.default in (None, argparse.SUPPRESS):
        return ""
    return f"`{action.default}`"


def _cell(text: str) -> str:
    text = " ".join(text.split())
    for char, escaped in (("&", "&amp;"), ("<", "&lt;"), ("|", "\\|"), ("*", "\\*"), ("_", "\\_")):
        text = text.replace(char, escaped)
    return text


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text[0].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")
