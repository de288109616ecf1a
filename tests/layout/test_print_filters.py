"""On paper a list shows the filters it was made with, in words (the form itself does not
print); free text typed into a search box is left out (it can be personal data)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_module_list_prints_its_choice_filters_in_words_but_not_the_search_text(client, staff_a):
    client.force_login(staff_a)
    client.cookies["django_language"] = "nl"
    html = client.get("/modules/", {"status": "open", "q": "85073003328"}).content.decode()
    printed = re.search(r'<p class="print-only print-filters">(.*?)</p>', html, re.S).group(1)
    assert "Status: Open" in printed
    assert "85073003328" not in printed
    html = client.get("/modules/").content.decode()
    printed = re.search(r'<p class="print-only print-filters">(.*?)</p>', html, re.S).group(1)
    assert printed.strip() == "Filters: geen"
