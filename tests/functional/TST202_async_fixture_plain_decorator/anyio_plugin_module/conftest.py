pytest_plugins = ["support.backends"]
