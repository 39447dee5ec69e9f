import subprocess
import sys


def test_version_prints_kelm_and_helm_versions():
    out = subprocess.run(
        [sys.executable, "-m", "kelm", "--version"], capture_output=True, text=True, check=True
    ).stdout
    assert out.startswith("kelm 0.1.0")
    assert "Helm v4.1.4" in out


def test_version_imports_nothing_heavy():
    code = (
        "import sys\n"
        "from kelm.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('yaml', 're2', 'jsonschema', 'cryptography', 'httpx', 'rich',"
        " 'kelm.gotemplate', 'kelm.funcs', 'click', 'typing') if m in sys.modules]\n"
        "print('HEAVY:' + ','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "HEAVY:"
