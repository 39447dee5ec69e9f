"""Start-up cost guards for `kelm template`: no click, lazy function groups, lazy PyYAML regex,
no dataclasses on the template path, cyclic GC off for the CLI process."""

from __future__ import annotations

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
        "        'dataclasses', 'inspect', 'calendar', 'decimal', 'copy', 'json', 'kelm.values.strvals')\n"
        "print(','.join(m for m in mods if m in sys.modules))\n"
    )
    code_line, last, heavy = _run(code, tmp_path).splitlines()
    assert code_line == "0"
    assert last == "  name: REL"
    assert heavy == ""


def test_pyyaml_huge_pattern_compiles_on_first_use() -> None:
    code = (
        "import re\n"
        "real = re.compile\n"
        "from kelm._pyyaml import import_pyyaml\n"
        "import_pyyaml()\n"
        "import yaml\n"
        "assert re.compile is real\n"
        "p = yaml.reader.Reader.NON_PRINTABLE\n"
        "print(type(p).__name__, bool(p.search('ok\\x01')), p.search('fine') is None)\n"
        "try:\n    yaml.load('a: \\x07', Loader=yaml.Loader)\n"
        "except yaml.YAMLError as e:\n    print(type(e).__name__)\n"
    )
    lines = _run(code, Path.cwd()).splitlines()
    assert lines == ["LazyPattern True True", "ReaderError"]


def test_pyyaml_import_compiles_no_pattern() -> None:
    code = (
        "import re\n"
        "compiled = []\n"
        "real = re._compile\n"
        "re._compile = lambda p, f: compiled.append(p) or real(p, f)\n"
        "from kelm._pyyaml import import_pyyaml\n"
        "import_pyyaml()\n"
        "import yaml\n"
        "print(len(compiled))\n"
        "print(yaml.safe_load('a: [1, yes, ~, 2001-12-14]'))\n"
    )
    lines = _run(code, Path.cwd()).splitlines()
    assert lines[0] == "0"
    assert lines[1] == "{'a': [1, True, None, datetime.date(2001, 12, 14)]}"


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
        "real = re.compile\n"
        "finders = list(sys.meta_path)\n"
        "from kelm.cli import process\n"
        "process.prepare()\n"
        "assert 'yaml' not in sys.modules and re.compile is real\n"
        "import yaml\n"
        "assert re.compile is real and sys.meta_path == finders\n"
        "assert yaml.__spec__.loader is yaml.__loader__ and type(yaml.__loader__).__module__ != 'kelm._pyyaml'\n"
        "p = yaml.reader.Reader.NON_PRINTABLE\n"
        "print(type(p).__name__, bool(p.search('ok\\x01')), p.search('fine') is None)\n"
        "print(yaml.safe_load('a: [1, yes, ~, 2001-12-14]'))\n"
    )
    lines = _run(code, Path.cwd()).splitlines()
    assert lines == ["LazyPattern True True", "{'a': [1, True, None, datetime.date(2001, 12, 14)]}"]
