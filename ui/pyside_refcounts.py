"""Keep PySide6 6.12 from aborting Python 3.11 after a few thousand Qt calls.

PySide6-Essentials 6.12.0 returns ``None``, ``True`` and ``False`` from its C++ calls
without taking a reference to them — harmless on Python 3.12+, where those objects are
immortal, but on Python 3.11 (Debian 12's, which the project targets) every void call
(``setText``, ``show``, ``processEvents``) and every ``signal.emit()`` takes one reference
away, and after a few thousand CPython aborts with "none_dealloc" or "bool_dealloc".
6.11 is not affected; the fix for the project is to exclude 6.12 in ``pyproject.toml``
(asked of the lead). Until then, on exactly that combination, the three singletons are
given the huge reference count Python 3.12 gives them, which makes them as immortal as
the newer Python does: they are static objects that are never freed in any case.
"""

from __future__ import annotations

import ctypes
import sys
from importlib import metadata

_IMMORTAL = 1 << 40


def needed() -> bool:
    """Read from the package metadata: the command line need not import Qt for this."""
    if sys.version_info >= (3, 12):
        return False
    try:
        version = metadata.version("PySide6-Essentials")
    except metadata.PackageNotFoundError:
        try:
            version = metadata.version("PySide6")
        except metadata.PackageNotFoundError:
            return False
    major_minor = tuple(int(p) for p in version.split(".")[:2] if p.isdigit())
    return major_minor >= (6, 12)


def apply() -> None:
    if not needed() or sys.implementation.name != "cpython":
        return
    for singleton in (None, True, False):
        # ob_refcnt is the first field of every CPython object.
        count = ctypes.c_ssize_t.from_address(id(singleton))
        if count.value < _IMMORTAL:
            count.value += _IMMORTAL


apply()
