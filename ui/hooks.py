"""Methods a Qt base class leaves to its subclasses, required when a subclass is defined.

Shiboken's metaclass cannot be combined with ``abc.ABCMeta``, so a ``QWidget`` base
cannot declare abstract methods. The base instead annotates each hook as a callable
attribute (what mypy checks calls against) and calls ``require_hooks`` from its
``__init_subclass__``: a subclass that leaves one out is a ``TypeError`` when its module
is imported, not a failure the first time a seat presses the button that needs it.
"""

from __future__ import annotations

from collections.abc import Iterable


def require_hooks(cls: type, hooks: Iterable[str]) -> None:
    """Refuse ``cls`` unless it defines (or inherits from a subclass) every hook."""
    missing = [h for h in hooks if not callable(getattr(cls, h, None))]
    if missing:
        raise TypeError(f"{cls.__qualname__} must define {', '.join(missing)}")
