"""Start-up cost guards for `kelm template` (no click, lazy function groups, lazy PyYAML regex,
no dataclasses on the template path, cyclic GC off for the CLI process), and the guarantee that
a library caller's process is left as it was (those tricks are the command's own)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CHART = """apiVersion: v2
name: tiny
version: 0.1.0
"""
TEMPLATE = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name | upper }}\n"


def _run(code: str, cwd: Path) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd)
    assert out.returncode == 0, out.stderr
    return out.stdout


def _tiny_chart(tmp_path: Path) -> None:
    chart = tmp_path / "tiny"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text(CHART)
    (chart / "templates" / "cm.yaml").write_text(TEMPLATE)


def test_template_fast_path_skips_click_and_unused_function_groups(tmp_path: Path) -> None:
    _tiny_chart(tmp_path)
    code = (
        "import io, sys, contextlib\n"
        "from kelm.cli import main\n"
        "buf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf):\n"
        "    try:\n        main(['template', 'rel', 'tiny'])\n"
        "    except SystemExit as e:\n        code = e.code\n"
        "print(repr(code))\n"
        "print(buf.getvalue().splitlines()[-1])\n"
        "mods = ('click', 'cryptography', 'jsonschema', 'zoneinfo', 'kelm.funcs.crypto',\n"
        "        'dataclasses', 'inspect', 'calendar', 'decimal', 'copy', 'json', 'kelm.values.strvals',\n"
        "        'rich')\n"
        "print(','.join(m for m in mods if m in sys.modules))\n"
    )
    code_line, last, heavy = _run(code, tmp_path).splitlines()
    assert code_line == "0"
    assert last == "  name: REL"
    assert heavy == ""


def test_template_command_runs_without_cyclic_gc(tmp_path: Path) -> None:
    _tiny_chart(tmp_path)
    code = (
        "import gc, io, sys, contextlib\n"
        "from kelm.cli import main\n"
        "from kelm.cli import template as t\n"
        "seen = []\n"
        "real = t.run_template\n"
        "t.run_template = lambda argv: seen.append(gc.isenabled()) or real(argv)\n"
        "buf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf):\n"
        "    try:\n        main(['template', 'rel', 'tiny'])\n"
        "    except SystemExit:\n        pass\n"
        "print(seen, gc.isenabled())\n"
    )
    # off while rendering; back on for an in-process caller that passed arguments
    assert _run(code, tmp_path).strip() == "[False] True"


def test_cli_prepare_defers_pyyaml_patterns_without_touching_re() -> None:
    code = (
        "import re, sys\n"
        "real, finders = re.compile, list(sys.meta_path)\n"
        "compiled = []\n"
        "real_compile = re._compile\n"
        "re._compile = lambda p, f: compiled.append(p) or real_compile(p, f)\n"
        "from kelm.cli import process\n"
        "process.prepare()\n"
        "assert 'yaml' not in sys.modules and re.compile is real\n"
        "import yaml\n"
        "assert re.compile is real and sys.meta_path == finders\n"
        "assert yaml.__spec__.loader is yaml.__loader__\n"
        "assert type(yaml.__loader__).__module__ != 'kelm._pyyaml'\n"
        "print(len(compiled))\n"
        "p = yaml.reader.Reader.NON_PRINTABLE\n"
        "print(type(p).__name__, bool(p.search('ok\\x01')), p.search('fine') is None)\n"
        "print(yaml.safe_load('a: [1, yes, ~, 2001-12-14]'))\n"
        "try:\n    yaml.load('a: \\x07', Loader=yaml.Loader)\n"
        "except yaml.YAMLError as e:\n    print(type(e).__name__)\n"
    )
    lines = _run(code, Path.cwd()).splitlines()
    assert lines == ["0", "LazyPattern True True",
                     "{'a': [1, True, None, datetime.date(2001, 12, 14)]}", "ReaderError"]


def test_cli_prepare_leaves_yaml_alone_when_already_imported() -> None:
    code = (
        "import sys, yaml\n"
        "finders = list(sys.meta_path)\n"
        "from kelm.cli import process\n"
        "process.prepare()\n"
        "print(sys.meta_path == finders, type(yaml.reader.Reader.NON_PRINTABLE).__name__)\n"
    )
    assert _run(code, Path.cwd()).strip() == "True Pattern"


_GLOBAL_STATE = r'''
import atexit, gc, os, re, signal, sys, threading, warnings
import logging  # noqa: F401 - the stdlib registers its own exit handler on import
import _sre


def snapshot():
    return {
        "dont_write_bytecode": sys.dont_write_bytecode,
        "gc": (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count(), gc.get_debug()),
        "recursionlimit": sys.getrecursionlimit(),
        "switchinterval": sys.getswitchinterval(),
        "re": (re.compile, re._compile, re.match, re.sub, re._parser.parse, _sre.compile),
        "meta_path": list(sys.meta_path),
        "path_hooks": list(sys.path_hooks),
        "hooks": (sys.excepthook, sys.displayhook, sys.breakpointhook, threading.excepthook),
        "streams": (sys.stdin, sys.stdout, sys.stderr),
        "atexit": atexit._ncallbacks(),
        "signals": {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGPIPE, signal.SIGTERM)},
        "warnings": list(warnings.filters),
        "environ": dict(os.environ),
        "cwd": os.getcwd(),
        "umask": os.umask(os.umask(0o22)),
        "threads": threading.active_count(),
        "trace": (sys.gettrace(), sys.getprofile()),
    }


before = snapshot()
import kelm
assert snapshot() == before, "import kelm"
import importlib, pkgutil
for info in pkgutil.walk_packages(kelm.__path__, "kelm."):
    if info.name != "kelm.__main__":
        importlib.import_module(info.name)
from kelm.chart import load_chart
from kelm.render import InstallOptions, render_chart
rel = render_chart(load_chart(sys.argv[1]), {"n": 2}, InstallOptions(release_name="rel"))
print(rel.manifest.strip().splitlines()[-1])
assert '  v: "b: 2"' in rel.manifest, rel.manifest
after = snapshot()
print(sorted(k for k in before if before[k] != after[k]))
print(sorted(os.listdir(os.environ["XDG_CACHE_HOME"])))
'''


def test_library_use_leaves_the_process_as_it_was(tmp_path: Path) -> None:
    """Importing every kelm module and rendering a chart changes no process-wide setting,
    hook or registry and writes no machine cache (those tricks belong to the CLI)."""
    _tiny_chart(tmp_path)
    (tmp_path / "tiny" / "templates" / "more.yaml").write_text(
        '{{- define "x" }}{{ . | toYaml }}{{ end }}\n'
        "data:\n  v: {{ include \"x\" (dict \"a\" .Values.n) | replace \"a\" \"b\" | quote }}"
        "\n  m: {{ regexMatch \"^[a-z]+$\" .Release.Name }}\n"
    )
    (tmp_path / "cache").mkdir()
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), PYTHONDONTWRITEBYTECODE="1")
    env.pop("KELM_NO_CACHE", None)
    out = subprocess.run([sys.executable, "-c", _GLOBAL_STATE, str(tmp_path / "tiny")],
                         capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["  m: true", "[]", "[]"]


def test_cli_prepare_writes_bytecode_despite_pythondontwritebytecode(tmp_path: Path) -> None:
    src = Path(__file__).resolve().parents[1] / "src" / "kelm"
    pkg = tmp_path / "kelm"
    (pkg / "cli").mkdir(parents=True)
    for name in ("__init__.py", "cachefiles.py", "_pyyaml.py", "lazyre.py", "recache.py"):
        (pkg / name).write_text((src / name).read_text())
    (pkg / "cli" / "__init__.py").write_text("")
    (pkg / "cli" / "process.py").write_text((src / "cli" / "process.py").read_text())
    code = (
        "import sys\n"
        "from kelm.cli import process\n"
        "assert sys.dont_write_bytecode\n"
        "process.prepare()\n"
        "import kelm.recache\n"
        "print(sys.dont_write_bytecode)\n"
    )
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=tmp_path, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
    cached = {p.name.split(".")[0] for p in pkg.rglob("*.pyc")}
    # imported before prepare() (written by it) and after (written by the import system)
    assert {"__init__", "process", "recache"} <= cached
