import redis

CACHE_URL = "redis://localhost:6379/1"


def test_cache(cache):
    assert cache.ping()


def test_second_cache():
    other = redis.Redis.from_url(CACHE_URL)
    assert other.ping()
