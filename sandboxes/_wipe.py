"""Delete whatever a program left in a folder, however it was built: trees deeper than any path
limit, folders without permissions, fifos, sockets, symlink loops.

Works on directory descriptors only (never a long path, never following a symlink) and without
recursion; a subtree deeper than `MAX_DEPTH` is moved up to the top folder and emptied from
there, so open descriptors stay few. Standard library only and Python 3.7+: the docker backend
ships this source into its containers (this module must not import anything else of gymhub,
nor use `from __future__`).
"""

import itertools
import os
import stat
import time

MAX_DEPTH = 32
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


def _open_dir(parent_fd, name):
    """A descriptor of the sub-folder `name` (made accessible first), or None."""
    for attempt in range(2):
        try:
            fd = os.open(name, _DIR_FLAGS, dir_fd=parent_fd)
        except PermissionError:
            if attempt:
                return None
            try:  # a folder the program made unreadable (chmod 000): ours to open again
                os.chmod(name, 0o700, dir_fd=parent_fd)
            except OSError:
                return None
            continue
        except OSError:
            return None
        try:
            os.fchmod(fd, 0o700)  # entries of a read-only folder can then be removed
        except OSError:
            pass
        return fd
    return None


def _remove_entry(dir_fd, name):
    """Remove anything but a folder and return None; for a folder, return its identity (it is
    emptied, then removed, by the caller: a failing rmdir of a full folder is slow on some file
    systems)."""
    try:
        info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except OSError:
        return None  # gone, or nothing more can be done about it here
    if stat.S_ISDIR(info.st_mode):
        return (info.st_dev, info.st_ino)
    try:
        os.unlink(name, dir_fd=dir_fd)
    except OSError:
        pass
    return None


def empty_folder(path, deadline_s=30.0):
    """Delete everything inside `path` (the folder itself stays). True when it is empty after."""
    try:
        top = os.open(path, _DIR_FLAGS)
    except PermissionError:  # the program took the permissions of its own working folder
        try:
            os.chmod(path, 0o700)
            top = os.open(path, _DIR_FLAGS)
        except OSError:
            return False
    except OSError:
        return not os.path.lexists(path)
    try:
        return _empty(top, time.monotonic() + deadline_s)
    finally:
        os.close(top)


def remove_tree(path, deadline_s=30.0):
    """Delete the folder `path` and everything in it. True when it is gone."""
    empty_folder(path, deadline_s)
    try:
        os.rmdir(path)
    except FileNotFoundError:
        pass
    except OSError:
        return False
    return True


def _empty(top, deadline):
    """Empty the folder open as `top`. Each listing is worked through once: listing a folder
    again after each of its sub-folders cost n listings of n names for n sub-folders (minutes
    for the 65536 a mount holds, so a program could make the reset miss the hub's deadline);
    a folder is listed again only after a sub-folder was entered (moved subtrees land in the
    top one, and a folder that could not be removed is skipped the second time)."""
    # one frame per folder being emptied, outermost first: its descriptor, its name inside the
    # previous one, what is left of its listing, whether a sub-folder was entered since
    frames = [[top, "", None, False]]
    stuck = set()  # (device, inode) of folders that could not be entered or removed
    # names for moved subtrees that a program cannot have taken in advance
    names = (f".wipe-{os.urandom(6).hex()}-{n}" for n in itertools.count())
    clean = False
    while frames:
        if time.monotonic() > deadline:
            break
        frame = frames[-1]
        if frame[2] is None:
            frame[2], frame[3] = _listing(frame[0]), False
        child = _next_folder(frame, top, len(frames), stuck, names)
        if child is not None:
            frame[3] = True
            frames.append([child[0], child[1], None, False])
            continue
        if frame[3]:
            frame[2] = None
            continue
        if len(frames) == 1:
            try:
                clean = not os.listdir(top)
            except OSError:
                clean = False
            break
        frames.pop()
        os.close(frame[0])
        _remove_folder(frames[-1][0], frame[1], stuck)
    for frame in frames[1:]:
        os.close(frame[0])
    return clean


def _listing(fd):
    try:
        return os.listdir(fd)
    except OSError:
        return []


def _next_folder(frame, top, depth, stuck, names):
    """Remove the frame's pending entries up to its next sub-folder: (descriptor, name) of it,
    or None when none is left. Below `MAX_DEPTH` sub-folders are moved up to the top folder
    (under a name from `names`) instead of entered."""
    fd, pending = frame[0], frame[2]
    while pending:
        name = pending.pop()
        key = _remove_entry(fd, name)
        if key is None or key in stuck:
            continue
        if depth >= MAX_DEPTH:
            try:  # flatten: the deep subtree continues from the top folder
                os.rename(name, next(names), src_dir_fd=fd, dst_dir_fd=top)
            except OSError:
                stuck.add(key)
            continue
        child = _open_dir(fd, name)
        if child is None:
            stuck.add(key)
            continue
        return child, name
    return None


def _remove_folder(parent_fd, name, stuck):
    """rmdir an emptied folder; one that stays is remembered as stuck."""
    try:
        os.rmdir(name, dir_fd=parent_fd)
    except OSError:
        try:
            info = os.stat(name, dir_fd=parent_fd, follow_symlinks=False)
            stuck.add((info.st_dev, info.st_ino))
        except OSError:
            pass
