def test_service(company_api, tmp_path):
    assert company_api.ping()
