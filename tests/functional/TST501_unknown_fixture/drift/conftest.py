pytest_plugins = ["tests.plugins.factories"]
