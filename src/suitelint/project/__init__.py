"""The project model: roots, module resolution, import graph, import-time summaries.

- :mod:`~suitelint.project.modules`: project roots and dotted name <-> file;
- :mod:`~suitelint.project.summary` / :mod:`~suitelint.project.summarize`: the
  per-module summary (imports, names, classes, calls, environment reads and
  writes) from one stdlib-``ast`` pass; :mod:`~suitelint.project.cache` keeps
  them in memory and on disk;
- :mod:`~suitelint.project.graph`: :class:`~suitelint.project.graph.ProjectModel`,
  import targets, symbols across modules and re-exports, what importing a
  module runs and in which order;
- :mod:`~suitelint.project.effects` (TST101/TST103/TST105 sites),
  :mod:`~suitelint.project.settings_classes`, :mod:`~suitelint.project.side_effects`
  (the side-effect API list as data), :mod:`~suitelint.project.consumption`,
  :mod:`~suitelint.project.preconditions`, :mod:`~suitelint.project.suite`
  (suite-wide indexes for TST404 and TST408).

Workspace hooks (``workspace.extensions``): ``"cache_dir"`` (a Path, or None
to disable the disk cache), ``"summaries"`` (in-process summaries by path),
``"project_models"``; :func:`suitelint.project.cache.forget` drops a changed file.
"""

from suitelint.project.modules import ModuleMap, module_map

__all__ = ["ModuleMap", "module_map"]
