pytest_plugins = ("support.loops",)
