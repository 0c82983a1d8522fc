"""MkDocs hook: the list of notebooks in ``researchers.md`` is read from ``notebooks/*.ipynb``.

Each notebook is listed by file name with the first heading of its first Markdown cell and the
paragraph under it, in the order ``notebooks/README.md`` mentions them (then by name), so adding
a notebook to the folder is enough to have it on the site.
"""
from __future__ import annotations

import json
from pathlib import Path

from mkdocs.exceptions import PluginError

PAGE = "researchers.md"
MARKER = "<!-- notebook-list -->"
_NOT_PROSE = ("#", "-", "*", "|", ">", "```", "<", "1.")


def on_page_markdown(markdown: str, page, config, files) -> str:
    if page.file.src_uri != PAGE:
        return markdown
    if MARKER not in markdown:
        raise PluginError(f"{PAGE} lost its {MARKER} line; the notebook list goes there")
    folder = Path(config.config_file_path).parent / "notebooks"
    return markdown.replace(MARKER, notebook_list(folder))


def on_serve(server, config, builder):
    server.watch(str(Path(config.config_file_path).parent / "notebooks"))
    return server


def notebook_list(folder: Path) -> str:
    """A Markdown list of the notebooks in ``folder`` (empty when there are none)."""
    readme = folder / "README.md"
    order = readme.read_text("utf-8") if readme.is_file() else ""

    def position(path: Path) -> tuple[int, str]:  # the README's order first, then by name
        found = order.find(path.name)
        return (found if found >= 0 else len(order), path.name)

    items = []
    for path in sorted(folder.glob("*.ipynb"), key=position):
        title, summary = _heading(path)
        entry = f"- `notebooks/{path.name}`"
        if title:
            entry += f": **{title}**"
        if summary:
            entry += f" — {summary}"
        items.append(entry)
    return "\n".join(items)


def _heading(path: Path) -> tuple[str, str]:
    try:
        cells = json.loads(path.read_text("utf-8")).get("cells", [])
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError) as exc:
        raise PluginError(f"notebooks/{path.name} is not a readable notebook: {exc}") from exc
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        title, paragraph = "", []
        for line in text.splitlines():
            stripped = line.strip()
            if not title:
                if stripped.startswith("#"):
                    title = stripped.lstrip("#").strip()
            elif stripped and not stripped.startswith(_NOT_PROSE):
                paragraph.append(stripped)
            elif paragraph or stripped:
                break
        return title, " ".join(paragraph)
    return "", ""
