def test_login_page_renders_in_dutch(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
