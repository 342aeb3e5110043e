"""Where the documents are: the small sample we ship, and ``../shared`` when it exists.

``sample/`` holds texts written for the missiongraph demo (invented symbols in the unused
S/RES/9001-9004 and S/2099/N ranges, so they never collide with real documents); it is
package data, so ``make demo`` works in a fresh clone or an installed wheel.  The real
evaluation corpus lives in ``../shared`` beside the project and is never copied here.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["sample_dir", "shared_dir"]

SHARED_ENV = "MISSIONGRAPH_SHARED"


def sample_dir() -> Path:
    """The folder of sample documents shipped with the package."""
    return Path(__file__).resolve().parent / "sample"


def shared_dir(project_root: str | os.PathLike | None = None) -> Path | None:
    """``$MISSIONGRAPH_SHARED`` if set, else ``shared/`` beside the project; None if absent.

    A folder counts only if it holds ``corpus/``.  Without ``project_root`` the project is
    the folder holding this package (a source checkout), then the working directory.
    """
    env = os.environ.get(SHARED_ENV)
    if env:
        candidates = [Path(env).expanduser()]
    elif project_root is not None:
        candidates = [Path(project_root).expanduser().resolve().parent / "shared"]
    else:
        roots = [Path(__file__).resolve().parent.parent, Path.cwd().resolve()]
        candidates = [r.parent / "shared" for r in roots] + [Path.cwd().resolve() / "shared"]
    for c in candidates:
        if (c / "corpus").is_dir():
            return c
    return None
