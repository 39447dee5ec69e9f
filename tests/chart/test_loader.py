"""Chart loading: directories, archives, .helmignore, Chart.yaml typing and validation."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from kelm.chart import ChartError, load_chart
from kelm.chart.ignore import Rules
from kelm.chart.semver import check

CHART = "apiVersion: v2\nname: c\nversion: 0.1.0\n"


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return root


def _tgz(path: Path, entries: list[tuple[str, str, str]]) -> Path:
    with tarfile.open(path, "w:gz") as tf:
        for name, data, kind in entries:
            ti = tarfile.TarInfo(name)
            if kind == "sym":
                ti.type = tarfile.SYMTYPE
                ti.linkname = data
                tf.addfile(ti)
            else:
                b = data.encode()
                ti.size = len(b)
                tf.addfile(ti, io.BytesIO(b))
    return path


def test_load_dir_splits_files(tmp_path: Path) -> None:
    root = _write(tmp_path / "c", {
        "Chart.yaml": CHART, "values.yaml": "a: 1\n", "templates/x.yaml": "x: 1\n",
        "files/f.txt": "hi\n", "crds/c.yaml": "kind: CRD\n", ".helmignore": "*.bak\nfiles/skip/\n",
        "files/old.bak": "no", "files/skip/s.txt": "no",
        "charts/sub/Chart.yaml": CHART.replace("name: c", "name: sub"),
        "templates/.hidden.yaml": "ignored by Helm's default rule",
    })
    c = load_chart(str(root))
    assert c.name == "c" and c.values == {"a": 1.0}
    assert [t.name for t in c.templates] == ["templates/x.yaml"]
    assert sorted(f.name for f in c.files) == [".helmignore", "crds/c.yaml", "files/f.txt"]
    assert [d.name for d in c.dependencies] == ["sub"]
    assert c.dependencies[0].full_path() == "c/charts/sub"
    assert [n for n, _ in c.crd_objects()] == ["c/crds/c.yaml"]


def test_chart_yaml_typing(tmp_path: Path) -> None:
    root = _write(tmp_path / "c", {"Chart.yaml": CHART + "appVersion: 1.10\nkeywords: [1]\n"})
    c = load_chart(str(root))
    assert c.metadata.app_version == "1.1" and c.metadata.keywords == ["1"]


@pytest.mark.parametrize("extra,msg", [
    ("appVersion: [1]\n", "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: "
     "json: cannot unmarshal array into Go struct field Metadata.appVersion of type string"),
    ("deprecated: \"yes\"\n", "cannot load Chart.yaml: error unmarshaling JSON: while decoding "
     "JSON: json: cannot unmarshal string into Go struct field Metadata.deprecated of type bool"),
    ("maintainers:\n- name: [1]\n", "cannot load Chart.yaml: error unmarshaling JSON: while "
     "decoding JSON: json: cannot unmarshal array into Go struct field Maintainer.maintainers.name "
     "of type string"),
    ("apiVersion: 2\n", "unsupported chart version"),
    ("type: foo\n", "validation: chart.metadata.type must be application or library"),
    ("version: x.y\n", 'validation: chart.metadata.version "x.y" is invalid'),
    ("dependencies:\n- name: a\n  alias: b.c\n",
     'validation: dependency "a" has disallowed characters in the alias'),
])
def test_chart_yaml_errors(tmp_path: Path, extra: str, msg: str) -> None:
    root = _write(tmp_path / "c", {"Chart.yaml": CHART + extra})
    with pytest.raises(ChartError) as e:
        load_chart(str(root))
    assert str(e.value) == msg


def test_chart_yaml_not_a_mapping(tmp_path: Path) -> None:
    root = _write(tmp_path / "c", {"Chart.yaml": "- a\n"})
    with pytest.raises(ChartError, match="cannot unmarshal array into Go value of type "
                       "loader.chartBase"):
        load_chart(str(root))


def test_archive_ok_and_nested(tmp_path: Path) -> None:
    sub = _tgz(tmp_path / "sub.tgz", [("sub/Chart.yaml", CHART.replace("name: c", "name: sub"),
                                       "f")])
    root = _write(tmp_path / "c", {"Chart.yaml": CHART})
    (root / "charts").mkdir()
    (root / "charts" / "sub-0.1.0.tgz").write_bytes(sub.read_bytes())
    c = load_chart(str(root))
    assert [d.name for d in c.dependencies] == ["sub"]
    a = _tgz(tmp_path / "ok.tgz", [("c/Chart.yaml", CHART, "f"), ("c/templates/a.yaml", "a: 1", "f")])
    assert [t.name for t in load_chart(str(a)).templates] == ["templates/a.yaml"]


@pytest.mark.parametrize("entries,msg", [
    ([("c/Chart.yaml", CHART, "f"), ("c/../../evil", "x", "f")],
     "chart illegally references parent directory"),
    ([("c/Chart.yaml", CHART, "f"), ("c/templates/a.yaml", "/etc/passwd", "sym")],
     "link pointing outside the chart"),
    ([("c/Chart.yaml", CHART, "f"), ("c/templates/a.yaml", "../../../x", "sym")],
     "link pointing outside the chart"),
    ([("Chart.yaml", CHART, "f")], "content outside the base directory"),
    ([("c/Chart.yaml", CHART, "f"), ("Chart.yaml/x", CHART, "f")], "chart yaml not in base"),
])
def test_hostile_archives(tmp_path: Path, entries: list, msg: str) -> None:
    path = _tgz(tmp_path / "bad.tgz", entries)
    with pytest.raises(ChartError, match=msg):
        load_chart(str(path))


def test_decompression_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.tgz"
    with tarfile.open(path, "w:gz") as tf:
        tf.addfile(tarfile.TarInfo("c/Chart.yaml"), io.BytesIO(b""))
        ti = tarfile.TarInfo("c/big.bin")
        ti.size = 6 * 1024 * 1024
        tf.addfile(ti, io.BytesIO(b"\0" * ti.size))
    with pytest.raises(ChartError, match="is larger than the maximum file size 5242880"):
        load_chart(str(path))


def test_not_an_archive(tmp_path: Path) -> None:
    p = tmp_path / "x.yaml"
    p.write_text("a: 1\n")
    with pytest.raises(ChartError, match="seems to be a YAML file, but expected a gzipped archive"):
        load_chart(str(p))


def test_helmignore_rules() -> None:
    r = Rules.parse("# c\n*.txt\n/root.md\ndir/\nsub/*.yaml\n")
    assert r.ignore("a/b/x.txt", False)
    assert r.ignore("root.md", False) and not r.ignore("a/root.md", False)
    assert r.ignore("dir", True) and not r.ignore("dir", False)
    assert r.ignore("sub/a.yaml", False) and not r.ignore("sub/deeper/a.yaml", False)
    # Helm's negation quirk: "!x" ignores everything that does not match x
    assert Rules.parse("!keep.txt\n").ignore("other.txt", False)
    with pytest.raises(ChartError, match="double-star"):
        Rules.parse("a/**/b\n")


@pytest.mark.parametrize("constraint,version,ok", [
    (">=1.10.0-0", "v1.35.0", True), (">=1.40.0", "v1.35.0", False), ("", "1.0.0", False),
    ("1.2.x", "1.2.9", True), ("~1.2.3", "1.3.0", False), ("^0.1.0", "0.1.5", True),
    ("^0.1.0", "0.2.0", False), (">=1.0 <2.0 || 3.x", "3.1.0", True), ("1.0 - 2.0", "2.0.0", True),
    (">1.0", "1.1.0-alpha", False), ("*", "1.0.0", True), ("0.1.0", "0.1.0", True),
])
def test_semver_ranges(constraint: str, version: str, ok: bool) -> None:
    assert check(constraint, version) is ok


def test_modtimes_keep_nanoseconds(tmp_path: Path) -> None:
    """Go reads a file's mtime to the nanosecond and a release records it so (``-o json``,
    the stored release): a float of seconds would lose the last digits."""
    import os

    from kelm.release.model import go_time

    root = _write(tmp_path / "c", {"Chart.yaml": CHART, "templates/x.yaml": "x: 1\n"})
    ns = 1_765_000_000_123_456_789
    for p in (root / "Chart.yaml", root / "templates/x.yaml"):
        os.utime(p, ns=(ns, ns))
    c = load_chart(str(root))
    assert c.modtime == ns and c.templates[0].modtime == ns
    t = go_time(c.templates[0].modtime)
    assert t is not None and ".123456789" in t.__go_json__()
    # an archive has whole seconds: they stay whole
    tgz = _tgz(tmp_path / "c.tgz", [("c/Chart.yaml", CHART, "file")])
    assert load_chart(str(tgz)).modtime % 1_000_000_000 == 0
