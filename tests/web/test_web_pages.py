"""The pages over plain HTTP: form posts, settings on the page, headers, and bad input."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import httpx


def post_answer(
    http: httpx.Client,
    answers: dict[str, object],
    question: str,
    value: str = "",
    action: str = "answer",
) -> httpx.Response:
    return http.post(
        "/interview",
        data={
            "answers": json.dumps(answers),
            "question": question,
            "value": value,
            "action": action,
        },
    )


def test_start_page_shows_clinic_and_emergency_number(http: httpx.Client) -> None:
    page = http.get("/")
    assert page.status_code == 200
    assert "Riverside Spine Clinic" in page.text
    assert 'href="tel:112"' in page.text


def test_start_page_offers_the_text_box(http: httpx.Client) -> None:
    page = http.get("/").text
    assert 'name="text"' in page and 'value="describe"' in page


def test_form_post_answers_and_moves_on(http: httpx.Client) -> None:
    response = post_answer(http, {}, "age", "42")
    assert response.status_code == 200
    assert 'name="question" value="pain_duration_days"' in response.text
    assert "&#34;age&#34;:42" in response.text  # the answers travel on, escaped in the field


def test_out_of_range_number_is_explained_not_accepted(http: httpx.Client) -> None:
    response = post_answer(http, {}, "age", "130")
    assert response.status_code == 422
    assert "Please enter a number from 0 to 120." in response.text
    assert 'name="question" value="age"' in response.text


def test_tampered_answers_ask_to_start_again(http: httpx.Client) -> None:
    response = http.post("/interview", data={"answers": '{"age": "old"}', "question": "sex"})
    assert response.status_code == 422
    assert "Please start again" in response.text
    broken = http.post("/interview", data={"answers": "{", "question": "age"})
    assert broken.status_code == 422


def test_unsure_is_refused_where_not_offered(http: httpx.Client) -> None:
    response = post_answer(http, {}, "age", action="unsure")
    assert response.status_code == 422
    assert 'name="question" value="age"' in response.text


def test_stale_post_shows_the_current_question(http: httpx.Client) -> None:
    response = post_answer(http, {"age": 40}, "age", "41")
    assert response.status_code == 200
    assert 'name="question" value="pain_duration_days"' in response.text


def test_back_drops_the_last_answer(http: httpx.Client) -> None:
    response = post_answer(http, {"age": 40, "pain_duration_days": 3}, "x", action="back")
    assert 'name="question" value="pain_duration_days"' in response.text


def test_result_shows_contact_link_for_appointments(
    http: httpx.Client, complete: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    answers = complete(
        {"age": 40, "sex": "male", "pain_duration_days": 3, "pain_severity": 5, "fever": True}
    )
    response = http.post("/print", data={"answers": json.dumps(answers)})
    assert response.status_code == 200
    assert "See a doctor today" in response.text
    assert 'href="tel:111"' in response.text
    assert 'href="https://clinic.example/book"' in response.text


def test_pages_may_not_be_framed_but_embed_may(http: httpx.Client) -> None:
    page = http.get("/")
    assert page.headers["x-frame-options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in page.headers["content-security-policy"]
    embed = http.get("/embed")
    assert "x-frame-options" not in embed.headers
    assert "frame-ancestors *" in embed.headers["content-security-policy"]
    assert 'class="masthead"' not in embed.text
    assert 'name="embed" value="1"' in embed.text


def test_pages_are_not_cached_and_load_nothing_from_elsewhere(http: httpx.Client) -> None:
    for response in (http.get("/"), http.get("/interview"), post_answer(http, {}, "age", "40")):
        assert response.headers["cache-control"] == "no-store"
        assert "default-src 'self'" in response.headers["content-security-policy"]
        loaded = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', response.text)
        assert loaded and all(url.startswith("/") for url in loaded), loaded


def test_theme_css_carries_the_colours(http: httpx.Client) -> None:
    css = http.get("/theme.css")
    assert css.headers["content-type"].startswith("text/css")
    assert "--accent: #1d4f91" in css.text and "--emergency: #a4161a" in css.text


def test_unknown_page_is_a_readable_404(http: httpx.Client) -> None:
    page = http.get("/no-such-page", headers={"accept": "text/html"})
    assert page.status_code == 404
    assert "Page not found" in page.text
    api = http.get("/api/v1/nothing")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}


def test_not_sure_about_a_warning_sign_is_shown_as_not_ruled_out(
    http: httpx.Client, complete: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    answers = complete(
        {"age": 40, "sex": "male", "pain_duration_days": 3, "pain_severity": 5, "fever": "unsure"}
    )
    page = http.post("/print", data={"answers": json.dumps(answers)}).text
    assert "Not ruled out: not answered, or not sure." in page
    assert "already an emergency" not in page


def test_result_page_starts_a_private_diary(
    http: httpx.Client, complete: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    facts = {
        "age": 38,
        "sex": "male",
        "pain_duration_days": 2,
        "pain_severity": 6,
        "trigger_lifting": True,
        "muscle_spasms": True,
    }
    answers = complete(facts)
    last = list(answers)[-1]
    result = post_answer(
        http, dict(list(answers.items())[:-1]), last, value=json.dumps(answers[last]).strip('"')
    )
    assert "Keep a diary of this episode" in result.text
    started = http.post("/diary", data={"answers": json.dumps(answers)})
    assert started.status_code == 303
    diary = started.headers["location"]
    assert re.search(r"/diary/[A-Za-z0-9_-]{30,}$", diary)
    page = http.get(diary)
    assert page.status_code == 200 and "no-store" in page.headers["cache-control"]
    assert http.get("/diary/" + "x" * 43).status_code == 404


def test_emergency_result_offers_no_diary(
    http: httpx.Client, complete: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    answers = complete(
        {
            "age": 50,
            "sex": "female",
            "pain_duration_days": 1,
            "pain_severity": 8,
            "saddle_numbness": True,
        }
    )
    last = list(answers)[-1]
    result = post_answer(http, dict(list(answers.items())[:-1]), last, value="true")
    assert "Emergency" in result.text
    assert "Keep a diary" not in result.text


def test_bad_diary_start_is_a_readable_422(http: httpx.Client) -> None:
    assert http.post("/diary", data={"answers": "not json"}).status_code == 422
    assert http.post("/diary", data={"answers": '{"age": 300}'}).status_code == 422


def test_description_prefills_what_it_states(http: httpx.Client) -> None:
    response = http.post(
        "/interview",
        data={
            "answers": "{}",
            "action": "describe",
            "text": "I'm 38 and my back seized when I lifted a box 2 days ago. No numbness, no fever.",
        },
    )
    assert response.status_code == 200
    answers = json.loads(
        re.search(r'name="answers" value="([^"]*)"', response.text)
        .group(1)
        .replace("&#34;", '"')
        .replace("&quot;", '"')
    )
    assert answers["age"] == 38 and answers["trigger_lifting"] is True
    assert answers["fever"] is False and answers["pain_duration_days"] == 2
    assert 'name="question" value="age"' not in response.text


def test_a_result_that_sends_to_a_clinician_says_what_happens_next(
    http: httpx.Client, complete: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    answers = complete(
        {"age": 40, "sex": "male", "pain_duration_days": 3, "pain_severity": 5, "fever": True}
    )
    page = http.post("/print", data={"answers": json.dumps(answers)}).text
    assert "What happens at the appointment" in page
    assert "Tests: which may help, and which are not needed yet" in page
    assert 'MRI scan.</strong> <span class="caution">May be used now.</span>' in page  # fever
    assert "An X-ray is not needed for a back spasm without a fall" in page
    assert "only together with exercise, never on its own" in page
    assert "Not offered - acupuncture" in page
    assert "Low back pain and sciatica in over 16s" in page  # NG59 in the sources


def test_self_care_and_emergency_results_do_not_list_appointment_steps(
    http: httpx.Client, complete: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    for facts in (
        {
            "age": 34,
            "sex": "male",
            "pain_duration_days": 2,
            "pain_severity": 6,
            "muscle_spasms": True,
        },
        {
            "age": 50,
            "sex": "female",
            "pain_duration_days": 1,
            "pain_severity": 8,
            "saddle_numbness": True,
        },
    ):
        page = http.post("/print", data={"answers": json.dumps(complete(facts))}).text
        assert "What happens at the appointment" not in page


def test_the_care_plan_links_to_the_exercises(
    http: httpx.Client, complete: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    facts = {"age": 34, "sex": "male", "pain_duration_days": 2, "pain_severity": 6}
    page = http.post("/print", data={"answers": json.dumps(complete(facts))}).text
    assert 'href="/exercises"' in page
    assert http.get("/exercises").status_code == 200
