"""``kelm rollback`` against the emulator, each scenario run by kelm (release ``k-NAME``) and by
the oracle's helm (``h-NAME``): the same output and the same release states."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

import kelm.testing
from tests.lifecycle.test_upgrade import (
    CHART,
    WAIT_JOB,
    both,
    cm_names,
    run_kelm,
    set_status,
    signalled,
    states,
    write_chart,
)
from tests.shared import HELM


@pytest.fixture(scope="module")
def chart(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_chart(tmp_path_factory.mktemp("charts") / "up")


@pytest.fixture(scope="module")
def cluster() -> Iterator[kelm.testing.Cluster]:
    with kelm.testing.cluster() as c:
        yield c


def test_rollback_to_the_previous_and_to_a_given_revision(cluster, chart, tmp_path) -> None:
    res = both(cluster, chart, tmp_path, "rb",
               ("install", "{rel}", "{chart}", "--set", "a=1"),
               ("upgrade", "{rel}", "{chart}", "--set", "a=2,extra=false"),
               ("rollback", "{rel}"),
               ("rollback", "{rel}", "2"))
    assert [r.exit_code for r in res] == [0] * 4, [r.stderr for r in res]
    assert res[2].stdout == "Rollback was a success! Happy Helming!\n"
    assert [(v, s, d) for v, s, d, _ in states(cluster, "k-rb")] == [
        (1, "superseded", "Install complete"), (2, "superseded", "Upgrade complete"),
        (3, "superseded", "Rollback to 1"), (4, "deployed", "Rollback to 2")]
    # revision 4 has revision 2's values and objects: the extra ConfigMap is gone again
    assert states(cluster, "k-rb")[-1][3] == {"a": 2.0, "extra": False}
    assert cm_names(cluster, "k-rb-") == ["k-rb-cm"]
    assert cluster.get("ConfigMap", "k-rb-cm")["data"] == {"a": "2"}


def test_rollback_restores_what_the_upgrade_deleted(cluster, chart, tmp_path) -> None:
    res = both(cluster, chart, tmp_path, "back",
               ("install", "{rel}", "{chart}"),
               ("upgrade", "{rel}", "{chart}", "--set", "extra=false"),
               ("rollback", "{rel}", "1", "--history-max", "2"))
    assert [r.exit_code for r in res] == [0, 0, 0]
    assert cm_names(cluster, "k-back-") == ["k-back-cm", "k-back-extra"]
    assert [(v, s) for v, s, _, _ in states(cluster, "k-back")] == [
        (2, "superseded"), (3, "deployed")]


def test_rollback_errors_are_helms(cluster, chart, tmp_path) -> None:
    res = both(cluster, chart, tmp_path, "err",
               ("install", "{rel}", "{chart}"),
               ("rollback", "{rel}", "9"),
               ("rollback", "{rel}"),
               ("rollback", "{rel}", "x"),
               ("rollback", "{rel}", "--", "-1"),
               ("rollback", "{rel}-none"))
    assert [(r.exit_code, r.stderr) for r in res[1:]] == [
        (1, "Error: release has no 9 version\n"),
        (1, "Error: release has no 0 version\n"),
        (1, 'Error: could not convert revision to a number: strconv.Atoi: parsing "x": '
            "invalid syntax\n"),
        (1, "Error: invalid release revision\n"),
        (1, "Error: release: not found\n")]
    r = run_kelm(cluster, "rollback", "Bad_Name")
    assert r.stderr == "Error: prepareRollback: Release name is invalid: Bad_Name\n"


def test_a_pending_release_can_be_rolled_back(cluster, chart, tmp_path) -> None:
    for prefix in ("k", "h") if HELM.available() else ("k",):
        rel = f"{prefix}-rpend"
        assert run_kelm(cluster, "install", rel, str(chart)).exit_code == 0
        assert run_kelm(cluster, "upgrade", rel, str(chart), "--set", "a=2").exit_code == 0
        set_status(cluster, rel, 2, "pending-upgrade")
    res = both(cluster, chart, tmp_path, "rpend", ("rollback", "{rel}"))
    assert res[0].exit_code == 0
    # Helm supersedes only deployed revisions: the pending one stays as it was
    assert [(v, s, d) for v, s, d, _ in states(cluster, "k-rpend")] == [
        (1, "superseded", "Install complete"), (2, "pending-upgrade", "Upgrade complete"),
        (3, "deployed", "Rollback to 1")]


def test_failed_rollback_hooks_leave_what_helm_leaves(cluster, chart, tmp_path) -> None:
    for rel in ("k-rhook", "h-rhook"):
        cluster.set_behavior("Job", f"{rel}-pre-rollback", fail=True)
    res = both(cluster, chart, tmp_path, "rhook",
               ("install", "{rel}", "{chart}", "--set", "hook=pre-rollback"),
               ("upgrade", "{rel}", "{chart}", "--set", "hook="),
               ("rollback", "{rel}", "1"),
               ("rollback", "{rel}", "1", "--no-hooks"))
    assert [r.exit_code for r in res] == [0, 0, 1, 0]
    assert res[2].stderr.startswith("Error: resource Job/default/k-rhook-pre-rollback not ready")
    # as Helm: a failed pre-rollback hook leaves the new revision pending-rollback
    assert [(v, s, d) for v, s, d, _ in states(cluster, "k-rhook")] == [
        (1, "superseded", "Install complete"), (2, "superseded", "Upgrade complete"),
        (3, "pending-rollback", "Rollback to 1"), (4, "deployed", "Rollback to 1")]


def test_dry_run_rollback_writes_nothing(cluster, chart, tmp_path) -> None:
    res = both(cluster, chart, tmp_path, "rdry",
               ("install", "{rel}", "{chart}"),
               ("upgrade", "{rel}", "{chart}", "--set", "a=2"),
               ("rollback", "{rel}", "--dry-run=client"))
    assert res[2].stdout == "Rollback was a success! Happy Helming!\n"
    assert [s for _, s, _, _ in states(cluster, "k-rdry")] == ["superseded", "deployed"]
    assert cluster.get("ConfigMap", "k-rdry-cm")["data"] == {"a": "2"}


def test_wait_failure_fails_the_rollback(cluster, chart, tmp_path) -> None:
    from kelm.action.deploy import wait_available

    if not wait_available():
        pytest.skip("kelm.action.wait has not landed")
    for rel in ("k-rwait", "h-rwait"):
        cluster.set_behavior("Job", f"{rel}-x", ready=False)
    wait_chart = write_chart(tmp_path / "rwait", {**CHART, "templates/job.yaml": WAIT_JOB})
    res = both(cluster, wait_chart, tmp_path, "rwait",
               ("install", "{rel}", "{chart}", "--set", "new=true"),
               ("upgrade", "{rel}", "{chart}", "--set", "new=false"),
               ("rollback", "{rel}", "1", "--wait", "--wait-for-jobs", "--timeout", "1s"))
    assert res[2].exit_code == 1
    assert res[2].stderr.startswith("Error: release k-rwait failed: ")
    got = [(v, s, d.split(":")[0]) for v, s, d, _ in states(cluster, "k-rwait")]
    assert got == [(1, "superseded", "Install complete"), (2, "deployed", "Upgrade complete"),
                   (3, "failed", 'Release "{rel}" failed')]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_during_rollback_ends_it_as_helms(cluster, chart, sig) -> None:
    # helm v4.1.4 does not catch the signal: it dies by it, printing nothing, and the new
    # revision stays pending-rollback (recorded from the oracle's helm against the emulator)
    rel = f"k-rsig{int(sig)}"
    assert run_kelm(cluster, "install", rel, str(chart), "--set", "hook=pre-rollback"
                    ).exit_code == 0
    assert run_kelm(cluster, "upgrade", rel, str(chart), "--set", "hook=").exit_code == 0
    cluster.set_behavior("Job", f"{rel}-pre-rollback", ready=False)
    got = signalled(cluster, f"{rel}-pre-rollback", sig, "rollback", rel, "1")
    assert got == (-sig, "", "")
    assert [(v, s, d) for v, s, d, _ in states(cluster, rel)] == [
        (1, "superseded", "Install complete"), (2, "deployed", "Upgrade complete"),
        (3, "pending-rollback", "Rollback to 1")]
    # the next rollback recovers the release; as helm's, it leaves the interrupted revision
    # as it was (only deployed ones are superseded)
    cluster.set_behavior("Job", f"{rel}-pre-rollback", ready=True)
    assert run_kelm(cluster, "rollback", rel, "1").exit_code == 0
    assert [s for _, s, _, _ in states(cluster, rel)] == [
        "superseded", "superseded", "pending-rollback", "deployed"]
