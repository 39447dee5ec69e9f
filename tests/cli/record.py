"""Record what the real Helm prints for kelm's command-line goldens (tests/golden/cli/).

- help/<command>.txt: ``helm <command> --help`` (the config paths of the oracle's isolated
  helm replaced by $HELM_CACHE_HOME / $HELM_CONFIG_HOME, $HOME for the keyring);
- env.txt: ``helm env`` (same placeholders);
- flags.json: the cases of tests/cli/flag_cases.py, as tests/render/record.py records them.

Re-record: python -m tests.cli.record  (needs ../shared/tools/oracle)
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.cli.flag_cases import cases
from tests.render.record import record_case
from tests.shared import HELM

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "cli"
HELP_COMMANDS = [
    "template", "install", "show", "show chart", "show values", "lint", "package", "create",
    "dependency", "dependency list", "dependency build", "dependency update", "version", "env",
    "completion", "completion bash", "help", "push", "registry", "registry login", "registry logout",
    "status", "history", "get", "upgrade", "rollback", "uninstall", "test", "verify", "pull",
    "repo", "search",
]


def normalise_help(text: str) -> str:
    """The oracle's isolated config directories and $HOME as placeholders."""
    home = os.path.expanduser("~")
    oracle_home = str(Path(str(HELM)).parent.parent / "home")
    return (text.replace(oracle_home + "/cache", "$HELM_CACHE_HOME")
            .replace(oracle_home + "/config", "$HELM_CONFIG_HOME")
            .replace(home, "$HOME"))


def main() -> None:
    (GOLDEN / "help").mkdir(parents=True, exist_ok=True)
    for cmd in HELP_COMMANDS:
        out = subprocess.run([HELM, *cmd.split(), "--help"], capture_output=True, text=True,
                             check=True).stdout
        (GOLDEN / "help" / (cmd.replace(" ", "-") + ".txt")).write_text(normalise_help(out))
    env_out = subprocess.run([HELM, "env"], capture_output=True, text=True, check=True).stdout
    (GOLDEN / "env.txt").write_text(normalise_help(env_out))
    recorded = [record_case(c) for c in cases()]
    (GOLDEN / "flags.json").write_text(
        json.dumps({"helm": "v4.1.4", "cases": recorded}, indent=1) + "\n")
    print(f"{len(HELP_COMMANDS)} help texts, {len(recorded)} flag cases -> {GOLDEN}")


if __name__ == "__main__":
    main()
