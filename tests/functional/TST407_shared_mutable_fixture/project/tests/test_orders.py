def test_orders(db, db_session, db_engine):
    assert db is not db_session
    assert db_engine
