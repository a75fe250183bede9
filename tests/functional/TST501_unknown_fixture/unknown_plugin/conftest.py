pytest_plugins = ["company_testing.fixtures"]
