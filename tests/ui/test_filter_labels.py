"""Issue 8 items 2 and 3: filter labels are Chinese on Chinese pages, whatever was opened before."""
import re

import pytest


def labels(response) -> list[str]:
    return [re.sub(
        r"<[^>]+>", "", m).strip() for m in re.findall(r"<label[^>]*>(.*?)</label>", response.content.decode(), re.S)]


PAGES = {
    "/cadres/people/": {"学历", "性别"},
    "/cadres/appointments/": {"职务", "产生方式", "来源"},
    "/cadres/reserves/": {"状态"},
    "/training/courses/": {"类型", "主办单位层级", "开班日期 起", "开班日期 止"},
}


@pytest.mark.parametrize("opened", ["/api/schema/", "/api/schema/?lang=en", "/api/docs/"])
def test_filter_labels_stay_chinese_after_the_api_schema_was_opened(world, login, opened):
    client = login(world.staff_a)
    before = {path: labels(client.get(path)) for path in PAGES}
    assert client.get(opened).status_code == 200
    for path, expected in PAGES.items():
        after = labels(client.get(path))
        assert after == before[path], path
        assert expected <= set(after), (path, after)


def test_no_filter_label_carries_an_english_lookup_word(world, login):
    client = login(world.staff_a)
    for path in PAGES:
        for label in labels(client.get(path)):
            assert not re.search(r"[A-Za-z]{3,}", label), (path, label)


def test_the_api_schema_describes_lookup_filters_in_the_requested_language(world, login):
    client = login(world.staff_a)
    schema = client.get("/api/schema/?format=json").json()
    params = {p["name"]: p.get("description", "") for p in schema["paths"]["/api/v1/courses/"]["get"]["parameters"]}
    assert params["starts_after"] == "开班日期 起"
    params = {p["name"]: p.get("description", "") for p in
              schema["paths"]["/api/v1/appointments/"]["get"]["parameters"]}
    assert params["start_after"] == "任职日期 起"
