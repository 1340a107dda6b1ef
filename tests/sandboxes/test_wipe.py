"""The deletion helper that resets docker containers, local working folders and the code
runner's scratch folders: what a program leaves must go in time proportional to its size."""

from __future__ import annotations

import os

from gymhub.sandboxes._wipe import empty_folder


def test_many_sibling_folders_are_deleted_in_linear_time(tmp_path, monkeypatch):
    """Each sub-folder used to cost a new listing of its parent: 20000 empty folders took 30 s
    (the docker launcher's reset then missed the hub's deadline: infra_error, twice). The work
    is counted, not timed (a loaded machine once took 10 s for the linear version): the names
    read from listings stay a small multiple of the names there are (n listings of n names
    read 400 million)."""
    for i in range(20000):
        os.mkdir(tmp_path / f"d{i}")
    os.chmod(tmp_path / "d7", 0)
    os.mkdir(tmp_path / "d9" / "inner")
    listed = []
    real_listdir = os.listdir

    def counting_listdir(*args, **kwargs):
        names = real_listdir(*args, **kwargs)
        listed.append(len(names))
        return names

    monkeypatch.setattr(os, "listdir", counting_listdir)
    assert empty_folder(str(tmp_path), deadline_s=120.0)
    monkeypatch.undo()
    assert sum(listed) < 3 * 20001, (len(listed), sum(listed))
    assert os.listdir(tmp_path) == []


def test_a_tree_deeper_than_the_descriptor_budget_is_deleted(tmp_path):
    """Subtrees below the depth limit are moved up to the top folder and emptied from there;
    the top folder is listed again to find them."""
    os.chdir(tmp_path)
    try:
        for _ in range(300):
            os.mkdir("d")
            os.chdir("d")
            os.mkdir("side")
    finally:
        os.chdir("/")
    assert empty_folder(str(tmp_path), deadline_s=10.0)
    assert os.listdir(tmp_path) == []
