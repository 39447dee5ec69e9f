"""``helm registry login|logout HOST``: check credentials against the registry and keep them
in the registry config (or the credential helper it names), or remove them."""

from __future__ import annotations

import sys

from kelm.repo.oci import RegistryError, RegistryOptions, login_check, parse_reference
from kelm.repo.registryauth import ConfigFile, Credential, CredentialError, registry_config_path
from kelm.repo.registryauth import login as store_login
from kelm.repo.registryauth import logout as store_logout

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO


class RegistryLoginError(Exception):
    """Login or logout failed; ``str()`` is Helm's message."""


def login(host: str, username: str, password: str, opts: RegistryOptions,
          out: TextIO | None = None) -> None:
    """Helm's ``Client.Login``: probe ``/v2/`` with the credentials, then store them."""
    out = out or sys.stderr
    if "/" in host:
        out.write('level=WARN msg="registry login currently only supports registry hostname, '
                  f'not a repository path" host={host} suggested={host.split("/", 1)[0]}\n')
        raise RegistryLoginError(f'invalid reference: invalid registry "{host}"')
    try:
        parse_reference(host + "/x")
    except RegistryError:
        raise RegistryLoginError(f'invalid reference: invalid registry "{host}"') from None
    opts.username, opts.password = username, password
    try:
        ConfigFile(registry_config_path(opts.registry_config))  # a broken one fails first
        login_check(host, opts)
        store_login(host, Credential(username, password), opts.registry_config)
    except (RegistryError, CredentialError) as e:
        raise RegistryLoginError(str(e)) from None
    out.write("Login Succeeded\n")


def logout(host: str, registry_config: str = "", out: TextIO | None = None) -> None:
    out = out or sys.stderr
    try:
        store_logout(host, registry_config)
    except CredentialError as e:
        raise RegistryLoginError(str(e)) from None
    out.write(f"Removing login credentials for {host}\n")


__all__ = ["RegistryLoginError", "login", "logout"]
