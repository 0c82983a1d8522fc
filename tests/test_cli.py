import json
import shutil
import subprocess
import sys

import pytest

from policytext.cli import main

from .conftest import PAGES, validate
from policytext import Announcement


def test_sample(capsys):
    assert main(["extract", "--sample"]) == 0
    data = json.loads(capsys.readouterr().out)
    validate(Announcement.from_dict(data))
    assert data["title"] and data["officials"] and data["publish_date"]


def test_formats(capsys):
    assert main(["extract", "--sample", "--format", "jsonl"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 1
    assert main(["extract", "--sample", "--format", "text"]) == 0
    assert "official:" in capsys.readouterr().out


@pytest.mark.parametrize("content, code", [(b"", 3), (b"\x00\xff\x00\xfe" * 300, 3)])
def test_bad_files(tmp_path, capsys, content, code):
    path = tmp_path / "input.html"
    path.write_bytes(content)
    assert main(["extract", str(path)]) == code
    err = capsys.readouterr().err
    assert err.startswith("policytext: ") and len(err.strip().splitlines()) == 1


def test_endless_input_is_refused_at_the_size_limit(capsys):
    """/dev/zero used to be read until memory ran out."""
    assert main(["extract", "/dev/zero"]) == 3
    assert capsys.readouterr().err.strip().splitlines() == [
        "policytext: /dev/zero is larger than 20 MiB, the most policytext reads for one page"]


def test_standard_input_past_the_size_limit():
    from policytext.fetch import MAX_BYTES

    out = subprocess.run([sys.executable, "-m", "policytext", "extract", "-"], input=b"<p>" * (MAX_BYTES // 3 + 1),
                         capture_output=True)
    assert out.returncode == 3 and out.stderr.decode().strip().splitlines() == [
        "policytext: standard input is larger than 20 MiB, the most policytext reads for one page"]


def test_missing_path(capsys):
    assert main(["extract", "/nonexistent/page.html"]) == 3
    assert capsys.readouterr().err.strip().splitlines() == ["policytext: no such file: /nonexistent/page.html"]


def test_not_an_article(capsys):
    assert main(["extract", str(PAGES / "list" / "list_trs_hunan_column_index.html")]) == 4
    assert "not an article" in capsys.readouterr().err


def test_hostile_url(capsys):
    assert main(["extract", "file:///etc/passwd"]) == 3
    assert "not an http(s) URL" in capsys.readouterr().err


def test_usage_errors():
    with pytest.raises(SystemExit) as exc:
        main(["extract"])
    assert exc.value.code == 2


def test_stdin_and_version():
    page = (PAGES / "hanweb" / "hanweb_sihong_meeting_2018.html").read_bytes()
    out = subprocess.run([sys.executable, "-m", "policytext", "extract", "-"], input=page, capture_output=True)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["is_article"] is True
    version = subprocess.run([sys.executable, "-m", "policytext", "--version"], capture_output=True, text=True)
    assert version.stdout.startswith("policytext ")


def test_import_is_cheap():
    code = ("import sys, policytext, policytext.cli; "
            "heavy = [m for m in ('jieba', 'spacy', 'sklearn', 'lxml', 'opencc', 'requests') if m in sys.modules]; "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.parametrize("blocked, argv_or_call, extra", [
    ("sklearn", "from policytext.cli import main; raise SystemExit(main(['train', '--runtime', 'unused']))", "train"),
    ("spacy", "import policytext; policytext.nlp()", "nlp"),
])
def test_missing_extra_is_one_line_naming_it(blocked, argv_or_call, extra):
    """Without the extra's package (blocked in sys.modules), one message says what to install."""
    code = f"import sys; sys.modules[{blocked!r}] = None; {argv_or_call}"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert f'pip install "policytext[{extra}]"' in out.stderr
    if extra == "train":
        assert out.returncode == 1 and len(out.stderr.strip().splitlines()) == 1
    else:
        assert "MissingDependency" in out.stderr


def test_no_stage_imports_the_package_root():
    """Data flows one way: modules below the package root never import it (its __init__ sits on top)."""
    import ast
    from pathlib import Path

    import policytext

    root = Path(policytext.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        if path.parent == root and path.name in ("__init__.py", "__main__.py"):
            continue
        depth = len(path.relative_to(root).parts)  # 1 for policytext/x.py, 2 for policytext/sub/x.py
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == depth and not node.module:
                names = {alias.name for alias in node.names}
                if any(not (root / name).is_dir() and not (root / f"{name}.py").exists() for name in names):
                    offenders.append(str(path.relative_to(root)))
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == "policytext":
                offenders.append(str(path.relative_to(root)))
    assert offenders == []


HANWEB = sorted((PAGES / "hanweb").glob("*.html"))[:3]


def _jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_several_paths_stream_json_lines_in_order(capsys):
    from policytext import extract

    assert main(["extract", *map(str, HANWEB)]) == 0
    out = capsys.readouterr()
    records = _jsonl(out.out)
    assert [r["title"] for r in records] == [extract(str(p)).title for p in HANWEB]
    for data in records:
        validate(Announcement.from_dict(data))
    assert out.err == ""


def test_a_failed_input_is_one_line_and_the_others_go_on(tmp_path, capsys):
    missing = tmp_path / "gone.html"
    assert main(["extract", str(HANWEB[0]), str(missing), str(HANWEB[1])]) == 3
    out = capsys.readouterr()
    assert len(_jsonl(out.out)) == 2
    assert out.err.splitlines() == [f"policytext: {missing}: no such file: {missing}",
                                    "policytext: 2 records from 3 inputs (0 not articles, 1 failed)"]


def test_input_dir_takes_pages_and_text_recursively_and_jobs_keep_the_order(tmp_path, capsys):
    (tmp_path / "b").mkdir()
    shutil.copy(HANWEB[0], tmp_path / "b" / "page.html")
    shutil.copy(HANWEB[1], tmp_path / "a.htm")
    shutil.copy(PAGES / "list" / "list_trs_hunan_column_index.html", tmp_path / "c.shtml")
    (tmp_path / "README.md").write_text("# not a page\n", encoding="utf-8")
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    assert main(["extract", "--input-dir", str(tmp_path), "--format", "jsonl"]) == 4
    one = capsys.readouterr()
    assert [r["is_article"] for r in _jsonl(one.out)] == [True, True, False]
    assert f"policytext: {tmp_path / 'c.shtml'}: not an article" in one.err
    assert main(["extract", "--input-dir", str(tmp_path), "--jobs", "2", "-q"]) == 4
    two = capsys.readouterr()
    assert two.out == one.out and two.err == ""


def test_list_file_with_urls_of_saved_pages(tmp_path, capsys):
    listing = tmp_path / "inputs.txt"
    listing.write_text(f"# saved pages\n{HANWEB[0]}  https://jyj.example.gov.cn/art/2024/3/5/art_1_2.html\n\n"
                       f"{HANWEB[1]}\n", encoding="utf-8")
    assert main(["extract", "--list", str(listing)]) == 0
    records = _jsonl(capsys.readouterr().out)
    assert [r["url"] for r in records] == ["https://jyj.example.gov.cn/art/2024/3/5/art_1_2.html", None]
    listing.write_text("https://a.example/x.html https://b.example/y.html\n", encoding="utf-8")
    assert main(["extract", "--list", str(listing)]) == 3
    assert "line 1: expected a URL, or a path and the URL it was saved from" in capsys.readouterr().err


def test_url_of_one_saved_page(capsys):
    url = "https://jyj.example.gov.cn/art/2024/3/5/art_1_2.html"
    assert main(["extract", str(HANWEB[0]), "--url", url]) == 0
    assert json.loads(capsys.readouterr().out)["url"] == url
    page = HANWEB[0].read_bytes()
    out = subprocess.run([sys.executable, "-m", "policytext", "extract", "-", "--url", url, "--format", "jsonl"],
                         input=page, capture_output=True)
    assert out.returncode == 0 and json.loads(out.stdout)["url"] == url


@pytest.mark.parametrize("argv", [
    ["extract", "a.html", "b.html", "--url", "https://x.example/"],
    ["extract", "https://x.example/a", "--url", "https://x.example/"],
    ["extract", "a.html", "--url", "not-a-url"],
    ["extract", "a.html", "b.html", "--format", "json"],
    ["extract", "-", "b.html"],
    ["extract", "a.html", "--jobs", "0"],
    ["extract", "--sample", "a.html"],
    ["-q", "-v", "extract", "--sample"],
])
def test_extract_usage_errors(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1].startswith("policytext")


def test_output_options_before_or_after_the_command(tmp_path, capsys):
    missing = str(tmp_path / "gone.html")
    for argv in (["--debug", "extract", missing], ["extract", missing, "--debug"]):
        assert main(argv) == 3
        assert "Traceback" in capsys.readouterr().err
    for argv in (["-q", "extract", missing], ["extract", "-q", missing]):
        assert main(argv) == 3
        assert capsys.readouterr().err == f"policytext: no such file: {missing}\n"
    list_page = str(PAGES / "list" / "list_trs_hunan_column_index.html")
    assert main(["extract", list_page, "--quiet"]) == 4
    assert capsys.readouterr().err == ""
    assert main(["-v", "extract", str(HANWEB[0]), list_page]) == 4
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"policytext: {HANWEB[0]}: extracted in ") and "not an article" in err[1]
