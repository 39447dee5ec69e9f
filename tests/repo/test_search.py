"""``search repo`` ranking, matching and version filtering against helm's answers for a
generated index (names, descriptions and keywords that put the term in different fields,
prereleases, duplicated names across repositories, odd cases): tests/golden/repo/search.json.

Re-record: python -m tests.repo.test_search  (needs ../shared/tools/oracle)
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.runner import invoke
from tests.repo.httprepo import isolate

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "repo" / "search.json"

QUERIES = [
    [], ["db"], ["web"], ["WEB"], ["redis"], ["cache"], ["store", "data"], ["a"], ["-l", "web"],
    ["--devel", "web"], ["--devel", "-l", "ngin"], ["--version", "~1.2", "-l"],
    ["--version", ">=2.0.0-0", "redis"], ["--version", "1.x || 3.x", "-l", "db"],
    ["-r", "^web"], ["-r", "d.?b"], ["-r", "(?i)REDIS"], ["-r", "one/"], ["-r", "\\bcache\\b"],
    ["two/"], ["-o", "json", "cache"], ["-o", "yaml", "-l", "ngin"], ["--max-col-width", "12"],
    ["--max-col-width", "3", "db"], ["über"], ["-l", "--version", "<0.5.0"],
]

WORDS = ["web", "db", "redis", "cache", "store", "data", "nginx", "queue", "über", "proxy",
         "metrics", "log"]


def _index(seed: int, repo: str) -> str:
    """A deterministic index: 40 charts, 1-6 versions each, the search words in names,
    descriptions and keywords."""
    rnd = random.Random(f"{seed}-{repo}")
    lines = ["apiVersion: v1", "entries:"]
    names = sorted({f"{rnd.choice(WORDS)}{rnd.choice(['', '-', 'x'])}{rnd.choice(WORDS)}"
                    for _ in range(40)})
    for name in names:
        lines.append(f"  {name}:")
        versions = set()
        for _ in range(rnd.randint(1, 6)):
            v = f"{rnd.randint(0, 3)}.{rnd.randint(0, 3)}.{rnd.randint(0, 3)}"
            if rnd.random() < 0.25:
                v += rnd.choice(["-rc.1", "-alpha", "-beta.2", "-0"])
            versions.add(v)
        for v in sorted(versions):
            desc = " ".join(rnd.choice(WORDS + ["the", "a", "chart", "for"]) for _ in range(5))
            kws = rnd.sample(WORDS, rnd.randint(0, 3))
            lines += ["  - apiVersion: v2", f'    appVersion: "{rnd.randint(1, 9)}.0"',
                      f"    description: {desc}", f"    name: {name}",
                      *(["    keywords:", *[f"    - {k}" for k in kws]] if kws else []),
                      "    urls:", f"    - {name}-{v}.tgz", f"    version: {v}"]
    return "\n".join(lines) + "\n"


def _setup(home: Path) -> None:
    """Two repositories in repositories.yaml with their cached indexes (no server needed)."""
    (home / "config").mkdir(parents=True, exist_ok=True)
    cache = home / "cache" / "repository"
    cache.mkdir(parents=True, exist_ok=True)
    (home / "config" / "repositories.yaml").write_text(
        "apiVersion: v1\nrepositories:\n- name: one\n  url: http://127.0.0.1:1/one\n"
        "- name: two\n  url: http://127.0.0.1:1/two\n")
    for repo in ("one", "two"):
        (cache / f"{repo}-index.yaml").write_text(_index(7, repo))


def record() -> None:
    import tempfile

    from tests.repo.httprepo import helm_env, plain_helm

    helm = plain_helm()
    out = []
    with tempfile.TemporaryDirectory() as d:
        home = Path(d) / "home"
        _setup(home)
        for q in QUERIES:
            p = subprocess.run([helm, "search", "repo", *q], capture_output=True, text=True,
                               env=helm_env(home), timeout=60)
            out.append({"args": q, "stdout": p.stdout, "stderr": p.stderr,
                        "code": p.returncode})
    GOLDEN.write_text(json.dumps({"helm": "v4.1.4", "cases": out}, indent=1,
                                 ensure_ascii=False) + "\n")
    print(f"{len(out)} searches -> {GOLDEN}")


CASES = json.loads(GOLDEN.read_text())["cases"] if GOLDEN.exists() else []


@pytest.mark.parametrize("case", CASES, ids=[" ".join(c["args"]) or "all" for c in CASES])
def test_search_as_helm(case: dict[str, object], tmp_path: Path,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    home = isolate(tmp_path, monkeypatch)
    _setup(home)
    res = invoke(["search", "repo", *case["args"]])  # type: ignore[misc]
    assert (res.stdout, res.stderr, res.exit_code) == (case["stdout"], case["stderr"],
                                                      case["code"])


def test_search_reads_the_index_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A kelm command remembers the parsed index (machine cache) and notices a new file."""
    import os

    from kelm.repo.index import MEMO_MIN_SIZE

    home = isolate(tmp_path, monkeypatch)
    _setup(home)
    for repo in ("one", "two"):  # large enough to be remembered
        idx = home / "cache" / "repository" / f"{repo}-index.yaml"
        text = idx.read_text()
        idx.write_text(text + "# padding\n" * (MEMO_MIN_SIZE // 10 + 1))
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "xdg"))

    def search(*args: str) -> str:
        p = subprocess.run([sys.executable, "-m", "kelm", "search", "repo", *args],
                           capture_output=True, text=True, env=env, timeout=60)
        assert p.returncode == 0, p.stderr
        return p.stdout

    first = search("web")
    memo = list((tmp_path / "xdg" / "kelm" / "repo-index").glob("*.marshal"))
    assert len(memo) == 2
    stamps = [m.stat().st_mtime_ns for m in memo]
    assert search("web") == first
    assert [m.stat().st_mtime_ns for m in memo] == stamps  # read, not rewritten
    idx = home / "cache" / "repository" / "one-index.yaml"
    idx.write_text("apiVersion: v1\nentries:\n  webby:\n  - name: webby\n    version: 9.9.9\n"
                   "    description: new\n" + "# padding\n" * (MEMO_MIN_SIZE // 10 + 1))
    assert "one/webby\t9.9.9" in search("webby")


if __name__ == "__main__":
    sys.exit(record())
