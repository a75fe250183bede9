def test_connection(url):
    return url.startswith("http")
