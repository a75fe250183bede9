import functools


def retried(times):
    def decorate(func):
        @functools.wraps(func)
        async def wrapper(*args, **kwargs):
            for _ in range(times - 1):
                try:
                    return await func(*args, **kwargs)
                except ConnectionError:
                    pass
            return await func(*args, **kwargs)
        return wrapper
    return decorate


def logged(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)
    return wrapper
