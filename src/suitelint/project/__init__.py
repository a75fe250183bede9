"""The project model: roots, module resolution, import graph, import-time summaries."""

from suitelint.project.modules import ModuleMap, module_map

__all__ = ["ModuleMap", "module_map"]
