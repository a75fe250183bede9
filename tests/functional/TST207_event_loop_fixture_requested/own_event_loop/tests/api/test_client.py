def test_client(event_loop):
    assert not event_loop.is_closed()
