"""``python -m kelm.testing serve [--port N] [--kubeconfig PATH] [--tls]``: the emulator as a
standalone process on 127.0.0.1, with a kubeconfig that points at it."""

from __future__ import annotations

import argparse
import signal
import sys
import threading


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kelm.testing",
                                     description="In-process Kubernetes API emulator (not a cluster).")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve on 127.0.0.1 until interrupted")
    serve.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    serve.add_argument("--kubeconfig", help="where to write the kubeconfig (default: a temp file)")
    serve.add_argument("--tls", action="store_true", help="serve HTTPS with a self-signed certificate")
    serve.add_argument("--no-simulate", action="store_true", help="leave status alone")
    args = parser.parse_args(argv)

    from kelm.testing.emulator import Cluster

    try:
        c = Cluster(tls=args.tls, kubeconfig=args.kubeconfig, port=args.port,
                    simulate=not args.no_simulate)
    except OSError as e:
        print(f"kelm.testing: cannot listen on 127.0.0.1:{args.port}: {e.strerror or e}",
              file=sys.stderr)
        return 1
    c.start()
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    print(f"kelm.testing: serving {c.url}", flush=True)
    print(f"kelm.testing: kubeconfig {c.kubeconfig_path} (context {c.context})", flush=True)
    try:
        done.wait()
    finally:
        c.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
