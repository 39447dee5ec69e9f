"""Release storage drivers (Helm's ``pkg/storage/driver``): ``memory``, ``secret``,
``configmap`` and ``sql``; each implements :class:`kelm.release.drivers.base.Driver`."""
