"""``kelm completion bash|zsh|fish|powershell``: shell completion scripts.

Each script asks ``kelm __complete`` (:mod:`kelm.cli.complete`) for the candidates of the
word under the cursor, so completion always matches the installed kelm's commands and flags.
"""

from __future__ import annotations

import sys

from kelm.cli.command import Command
from kelm.cli.flags import Flag, Parsed

BASH = r"""# bash completion for kelm                                  -*- shell-script -*-
# Load it with: source <(kelm completion bash)

_kelm_complete() {
    local cur="${COMP_WORDS[COMP_CWORD]}"
    local out directive
    out="$("${COMP_WORDS[0]}" __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)"
    directive="${out##*$'\n'}"
    if [[ "$out" == *$'\n'* ]]; then out="${out%$'\n'*}"; else out=""; fi
    COMPREPLY=()
    local IFS=$'\n'
    COMPREPLY=($(compgen -W "$out" -- "$cur"))
    if [[ ${#COMPREPLY[@]} -eq 0 && "$directive" != ":4" ]]; then
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}

complete -o default -F _kelm_complete kelm
"""

ZSH = r"""#compdef kelm
# zsh completion for kelm. Load it with: source <(kelm completion zsh)
# (after compinit), or save it as _kelm in a directory of $fpath.

_kelm() {
    local -a lines cands
    local directive
    lines=("${(@f)$(${words[1]} __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")
    directive="${lines[-1]}"
    cands=("${(@)lines[1,-2]}")
    if (( ${#cands} )); then
        compadd -- "${cands[@]}"
    elif [[ "$directive" != ":4" ]]; then
        _files
    fi
}

if [[ "${funcstack[1]}" == "_kelm" ]]; then
    _kelm "$@"
else
    compdef _kelm kelm
fi
"""

FISH = r"""# fish completion for kelm. Load it with: kelm completion fish | source

function __kelm_complete
    set -l args (commandline -opc)[2..-1] (commandline -ct)
    set -l out (kelm __complete $args 2>/dev/null)
    set -l directive $out[-1]
    set -e out[-1]
    for c in $out
        echo $c
    end
    if test (count $out) -eq 0; and test "$directive" != ":4"
        __fish_complete_path (commandline -ct)
    end
end

complete -c kelm -f -a '(__kelm_complete)'
"""

POWERSHELL = r"""# powershell completion for kelm
# Load it with: kelm completion powershell | Out-String | Invoke-Expression

Register-ArgumentCompleter -Native -CommandName 'kelm' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() })
    if ($wordToComplete -eq '') { $words += '""' }
    $out = @(& kelm __complete @words 2>$null)
    if ($out.Count -lt 1) { return }
    $directive = $out[-1]
    $cands = @()
    if ($out.Count -gt 1) { $cands = $out[0..($out.Count - 2)] }
    if ($cands.Count -eq 0 -and $directive -ne ':4') { return }
    $cands | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
    }
}
"""

SCRIPTS = {"bash": BASH, "fish": FISH, "powershell": POWERSHELL, "zsh": ZSH}


def _script(cmd: Command, p: Parsed) -> None:
    sys.stdout.write(SCRIPTS[cmd.name])


def _shell(name: str, how: str) -> Command:
    return Command(name, short=f"generate autocompletion script for {name}",
                   long=f"\nGenerate the autocompletion script for kelm for the {name} shell.\n\n"
                        f"{how}\n",
                   flags=[Flag("no-descriptions", "bool", default=False,
                               help="disable completion descriptions (kelm's scripts have none)")],
                   args=("none",), run=_script)


COMMAND = Command(
    "completion", short="generate autocompletion scripts for the specified shell",
    long="\nGenerate autocompletion scripts for kelm for the specified shell.\n",
    subcommands=[
        _shell("bash", "To load completions in your current shell session:\n\n"
                       "    source <(kelm completion bash)"),
        _shell("fish", "To load completions in your current shell session:\n\n"
                       "    kelm completion fish | source"),
        _shell("powershell", "To load completions in your current shell session:\n\n"
                             "    kelm completion powershell | Out-String | Invoke-Expression"),
        _shell("zsh", "To load completions in your current shell session (after compinit):\n\n"
                      "    source <(kelm completion zsh)"),
    ],
)
