"""The main module, taken in by the fork server before its first child.

A child of the fork server prepares itself as a spawned process would: it
makes the parent's main module its own, and does nothing when the server
already has it.  The server is meant to take it in when ``__main__`` is in
its preload list, but CPython (3.11, where this was measured) passes it the wrong key
(``main_path`` for ``init_main_from_path``), so every child ran the main
script again.  The parent names its main module in the environment
(``isolate._context``) and this module, preloaded first, takes it in the way
a spawned child does (``multiprocessing.spawn.prepare``).
"""

import json
import os
from multiprocessing import spawn

_main = json.loads(os.environ.pop("ROADMAP_FORKSERVER_MAIN", "") or "{}")
if _main:
    try:
        spawn.prepare(_main)
    except Exception:  # noqa: BLE001 — then each child takes it in itself, as before
        pass
