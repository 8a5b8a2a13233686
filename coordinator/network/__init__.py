"""Network health: the collaboration graph, its metrics, the map and exports.

The data path, in the order data flows (one sub-package per layer):

* ``data/tie_store.py`` — **the tie store**: per pair of stakeholders, quarter and field of
  work, how many activities they shared; written in the same transaction as the activity.
  ``data/revision.py`` counts every change.
* ``jobs/`` — **the jobs**: ``queue.py`` (Huey, Redis or embedded), ``refresh.py`` (one
  computation per scope and revision: read the tie store, compute, store the figures),
  ``export.py`` (export files); ``flask network-worker``, ``network-status`` and
  ``rebuild-ties`` in ``cli.py``.
* ``analysis/`` — **the pure analysis** (numpy, networkx, igraph; no Flask, no database):
  ``compact.py`` (the graph arrays every function takes), ``metrics.py`` (all figures of
  a scope), the algorithms beside it, their inner loops in C (``_kernels.c``, ``compiled.py``).
* ``data/figure_store.py`` — **the stored figures** every page reads (``read_figures``),
  with their freshness; pages never compute.
* ``web/`` — **the pages**: ``views.py`` (map, ego view, tables, exports), ``view_models.py``
  (what a page shows), ``map_data.py`` (the map's JSON).

``cli.py`` here holds ``flask metrics`` and ``flask export``, which compute in the foreground.
"""
