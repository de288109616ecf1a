def test_login_page_is_dutch_by_default_with_strict_csp(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert '<html lang="nl">' in response.text
    assert "Aanmelden bij Partnerwerk" in response.text
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "'unsafe-inline'" not in csp


def test_english_is_chosen_with_the_switcher_not_the_browser(client, db):
    response = client.get("/accounts/login/", headers={"accept-language": "en"})
    assert "Aanmelden bij Partnerwerk" in response.text  # Dutch first, whatever the browser

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    response = client.get("/accounts/login/")
    assert "Log in to Partnerwerk" in response.text

    client.post("/i18n/setlang/", {"language": "xx"})  # unknown: stays as it was, no error
    assert "Log in to Partnerwerk" in client.get("/accounts/login/").text


def test_anonymous_user_is_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
