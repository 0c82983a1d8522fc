"""The segmenter's dictionary: built once into the cache folder, then memory-mapped by every process."""
import json
import os
import subprocess
import sys

from policytext.text import lexicon as lexicon_module
from policytext.text.lexicon import DIVISION_FREQ, lexicon

WORDS = ["督学", "责任督学", "挂牌督导", "衡南县", "教育", "的", "不存在的词语"]
TEXT = "衡南县教育局召开责任督学挂牌督导工作会议"
CODE = ("import json, sys; from policytext import segment; from policytext.text.lexicon import lexicon; "
        "lex = lexicon(); words = json.loads(sys.argv[1]); "
        "print(json.dumps([len(lex), lex.total, lex.longest, [lex.count(w) for w in words], segment(sys.argv[2])]))")


def _command() -> list[str]:
    return [sys.executable, "-c", CODE, json.dumps(WORDS), TEXT]


def _run(folder) -> list:
    env = dict(os.environ, POLICYTEXT_CACHE=str(folder))
    done = subprocess.run(_command(), env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_the_lexicon_is_cached_and_read_back_the_same(tmp_path):
    built = _run(tmp_path)
    assert sorted(p.suffix for p in tmp_path.glob("lexicon-*")) == [".marisa", ".numbers"]
    assert _run(tmp_path) == built
    size, total, longest, counts, words = built
    assert size > 300_000 and total > size and longest >= len("人民政府教育督导室")
    found = dict(zip(WORDS, counts))
    assert found["督学"] > 0 and found["的"] > 100_000 and found["不存在的词语"] == 0
    assert found["衡南县"] == DIVISION_FREQ  # jieba has no such word; the division table adds it
    assert words == ["衡南县", "教育局", "召开", "责任督学", "挂牌督导", "工作", "会议"]


def test_a_damaged_cache_is_rebuilt(tmp_path):
    built = _run(tmp_path)
    (numbers,) = tmp_path.glob("lexicon-*.numbers")
    size = numbers.stat().st_size
    numbers.write_bytes(numbers.read_bytes()[: size // 2])
    assert _run(tmp_path) == built
    assert numbers.stat().st_size == size


def test_processes_building_the_cache_at_once_agree(tmp_path):
    env = dict(os.environ, POLICYTEXT_CACHE=str(tmp_path))
    racing = [subprocess.Popen(_command(), env=env, stdout=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [json.loads(p.communicate()[0]) for p in racing]
    assert all(p.returncode == 0 for p in racing)
    assert outputs[0] == outputs[1] == outputs[2] == _run(tmp_path)
    assert not [p.name for p in tmp_path.iterdir() if not p.name.endswith((".marisa", ".numbers"))
                and p.name.startswith("lexicon-")]  # no temporary files left behind


def test_without_a_cache_folder_the_lexicon_is_built_in_memory(monkeypatch):
    monkeypatch.setattr(lexicon_module, "cache_dir", lambda: None)
    in_memory, shared = lexicon_module._open_or_build(), lexicon()
    assert (len(in_memory), in_memory.total, in_memory.longest) == (len(shared), shared.total, shared.longest)
    assert [in_memory.count(w) for w in WORDS] == [shared.count(w) for w in WORDS]


def test_counting_any_string_is_safe():
    assert lexicon().count("\ud800") == lexicon().count("") == lexicon().count("a\x00b") == 0


def test_building_removes_derived_files_unused_for_a_month(tmp_path):
    import time

    month_ago = time.time() - 31 * 86400
    stale = [tmp_path / "lexicon-0123456789abcdef.marisa", tmp_path / "lexicon-0123456789abcdef.numbers",
             tmp_path / "pfdict-0123456789abcdef.words"]
    recent = tmp_path / "lexicon-fedcba9876543210.marisa"  # another installation's, in use
    other = tmp_path / "notes.txt"
    for path in [*stale, recent, other]:
        path.write_bytes(b"x")
    for path in [*stale, other]:
        os.utime(path, (month_ago, month_ago))
    _run(tmp_path)
    assert not any(p.exists() for p in stale)
    assert recent.exists() and other.exists()
    built = sorted(tmp_path.glob("lexicon-*.marisa"))
    assert len(built) == 2
    # Opening a cached lexicon marks it as used, so that another installation's build keeps it.
    (mine,) = [p for p in built if p != recent]
    os.utime(mine, (month_ago, month_ago))
    _run(tmp_path)
    assert mine.stat().st_mtime > month_ago + 86400
