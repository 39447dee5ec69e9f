"""``kelm verify PATH``: ``helm verify`` (same flag, output and errors)."""

from __future__ import annotations

import sys

from kelm.cli.command import Command, CommandError
from kelm.cli.flags import Flag, Parsed
from kelm.cli.flagsets import default_keyring, keyring_default


def _verify(cmd: Command, p: Parsed) -> None:
    from kelm.action.verify import ProvenanceError, verify

    # Helm's default ($GNUPGHOME/pubring.gpg, else ~/.gnupg); an empty --keyring= stays empty
    keyring = p.get("keyring") if "keyring" in p.given else default_keyring()
    try:
        text = verify(p.args[0], keyring)
    except ProvenanceError as e:
        raise CommandError(str(e)) from None
    sys.stdout.write(text)


COMMAND = Command(
    "verify PATH", short="verify that a chart at the given path has been signed and is valid",
    long="""
Check the provenance file next to a chart archive (PATH.prov).

The check passes when the file's OpenPGP signature was made by a key in the
keyring and the SHA-256 it records is the archive's own: the chart was not
changed after it was signed, and it was signed by someone you trust.

The same check runs for the '--verify' flags of other commands. 'kelm package
--sign' writes provenance files.
""",
    flags=[
        Flag("keyring", "string", default="", default_text=keyring_default,
             help="keyring containing public keys"),
    ],
    args=("exact", 1),
    run=_verify,
)
