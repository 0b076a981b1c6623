"""The pages over plain HTTP: form posts, settings on the page, headers, and bad input."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from typing import Any

import httpx

from tests.support.people import SPASM


def field(page: str, name: str) -> str:
    """A hidden field of the page's interview form, unescaped."""
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found is not None, f"no {name} field"
    return html.unescape(found.group(1))


def post_screen(
    http: httpx.Client,
    page: str,
    rows: dict[str, str],
    action: str = "answer",
    **extra: str,
) -> httpx.Response:
    """Answer the screen a page shows, the way its form posts: one field per row."""
    data = {
        "answers": field(page, "answers"),
        "steps": field(page, "steps"),
        "rows": field(page, "rows"),
        "action": action,
        **{f"a.{name}": value for name, value in rows.items()},
        **extra,
    }
    return http.post("/interview", data=data)


def rows_of(page: str) -> list[str]:
    return field(page, "rows").split()


def test_start_page_shows_clinic_and_emergency_number(http: httpx.Client) -> None:
    page = http.get("/")
    assert page.status_code == 200
    assert "Riverside Spine Clinic" in page.text
    assert 'href="tel:112"' in page.text


def test_start_page_offers_the_text_box(http: httpx.Client) -> None:
    page = http.get("/").text
    assert 'name="text"' in page and 'value="describe"' in page


def test_the_first_screen_asks_what_is_happening_now_as_a_grid(http: httpx.Client) -> None:
    page = http.get("/interview").text
    assert rows_of(page) == [
        "chest_pain",
        "one_side_body_weakness",
        "fainting_or_collapse",
        "feels_faint",
        "trauma_major",
    ]
    assert "Step 1 of about" in page and "None of these" in page
    assert page.count('type="radio"') == 10 and " checked" not in page  # nothing pre-answered
    assert page.count("<fieldset") == 5 and page.count("<legend>") == 5


def test_a_screen_post_records_every_row_and_moves_on(http: httpx.Client) -> None:
    page = http.get("/interview").text
    response = post_screen(http, page, dict.fromkeys(rows_of(page), "false"))
    assert response.status_code == 200
    assert rows_of(response.text)[:3] == ["age", "sex", "pain_duration_days"]
    assert field(response.text, "steps") == "s5"
    assert json.loads(field(response.text, "answers"))["chest_pain"] is False
    assert "Step 2 of about" in response.text


def test_sex_may_be_left_unsaid_and_pregnancy_is_then_asked(http: httpx.Client) -> None:
    page = http.get("/interview").text
    about = post_screen(http, page, dict.fromkeys(rows_of(page), "false")).text
    assert "Prefer not to say" in about
    given = {"age": "30", "sex": "unsure", "pain_duration_days": "2", "pain_severity": "5"}
    rows = {name: given.get(name) or _plain_no(about, name) for name in rows_of(about)}
    response = post_screen(http, about, rows)
    assert response.status_code == 200, response.text[-500:]
    assert json.loads(field(response.text, "answers"))["sex"] == "unsure"
    asked: list[str] = []
    page = response.text
    for _ in range(12):  # answer "no" on, until pregnancy is asked or the result comes
        names = rows_of(page) if 'name="rows"' in page else []
        asked += names
        if not names or "pregnant" in names:
            break
        page = post_screen(http, page, {n: _plain_no(page, n) for n in names}).text
    assert "pregnant" in asked


def _plain_no(page: str, name: str) -> str:
    """ "false" for a yes/no row, else the first value the row offers."""
    values = re.findall(rf'name="a\.{name}" value="([^"]*)"', page)
    return "false" if "false" in values else values[0]


def test_an_unanswered_row_is_not_no(http: httpx.Client) -> None:
    page = http.get("/interview").text
    rows = dict.fromkeys(rows_of(page)[:-1], "false")
    response = post_screen(http, page, rows)
    assert response.status_code == 422
    assert "Please answer every question on this page." in response.text
    assert field(response.text, "answers") == "{}"  # nothing recorded, not even answered rows
    assert response.text.count(" checked") == 4  # what was chosen is kept on the page
    assert 'class="row missing"' in response.text


def test_none_of_these_answers_every_row_no_where_the_screen_allows_it(
    http: httpx.Client,
) -> None:
    page = http.get("/interview").text
    response = post_screen(http, page, {}, action="none")
    answers = json.loads(field(response.text, "answers"))
    assert answers == dict.fromkeys(rows_of(page), False)
    conflict = post_screen(http, page, {"chest_pain": "true"}, action="none")
    assert conflict.status_code == 422 and "None of these" in conflict.text


def test_none_of_these_cannot_answer_the_cauda_equina_questions(http: httpx.Client) -> None:
    answers = {
        "chest_pain": False,
        "one_side_body_weakness": False,
        "fainting_or_collapse": False,
        "trauma_major": False,
        "age": 34,
        "sex": "male",
        "pain_duration_days": 2,
        "pain_severity": 6,
        "pain_course": "unchanged",
        "pain_region": "lower_back",
        "onset_sudden": True,
        "fever": False,
    }
    page = http.post("/interview", data={"answers": json.dumps(answers), "action": "show"}).text
    while "saddle_numbness" not in rows_of(page):
        page = post_screen(http, page, dict.fromkeys(rows_of(page), "false")).text
    assert "when you wipe" in page and "None of these" not in page
    refused = post_screen(http, page, {}, action="none")
    assert refused.status_code == 422
    assert "saddle_numbness" not in json.loads(field(refused.text, "answers"))


def test_out_of_range_number_is_explained_not_accepted(http: httpx.Client) -> None:
    page = http.get("/interview").text
    page = post_screen(http, page, {}, action="none").text
    rows = {"age": "130", "sex": "male", "pain_duration_days": "2", "pain_severity": "5"}
    rows |= {"pain_course": "unchanged", "pain_region": "lower_back", "onset_sudden": "true"}
    response = post_screen(http, page, rows)
    assert response.status_code == 422
    assert "Please enter a number from 0 to 120." in response.text
    assert 'value="130"' in response.text


def test_tampered_answers_ask_to_start_again(http: httpx.Client) -> None:
    response = http.post("/interview", data={"answers": '{"age": "old"}', "rows": "sex"})
    assert response.status_code == 422
    assert "Please start again" in response.text
    broken = http.post("/interview", data={"answers": "{", "rows": "age"})
    assert broken.status_code == 422


def test_unsure_is_refused_where_not_offered(http: httpx.Client) -> None:
    page = http.post(
        "/interview",
        data={"answers": json.dumps({"chest_pain": False}), "steps": "s1", "action": "show"},
    ).text
    assert rows_of(page)[0] == "one_side_body_weakness"
    answered = post_screen(http, page, dict.fromkeys(rows_of(page), "unsure"))
    assert answered.status_code == 422


def test_stale_post_shows_the_current_screen(http: httpx.Client) -> None:
    page = http.get("/interview").text
    stale = page.replace(field(page, "rows"), "age")
    response = post_screen(http, stale, {"age": "41"})
    assert response.status_code == 200
    assert rows_of(response.text) == rows_of(page)


def test_back_drops_the_last_screen(http: httpx.Client) -> None:
    page = http.get("/interview").text
    second = post_screen(http, page, dict.fromkeys(rows_of(page), "false")).text
    back = post_screen(http, second, {}, action="back")
    assert rows_of(back.text) == rows_of(page)
    assert field(back.text, "answers") == "{}" and field(back.text, "steps") == ""


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


def test_pages_are_kept_only_by_the_browser_and_load_nothing_from_elsewhere(
    http: httpx.Client, complete: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    first = http.get("/interview")
    screen = post_screen(http, first.text, {}, action="none")
    facts = {"age": 40, "sex": "male", "pain_duration_days": 3, "pain_severity": 5}
    answers = {"answers": json.dumps(complete(facts))}
    result = http.post("/interview", data={**answers, "action": "show"})
    assert 'id="level-title"' in result.text
    start = http.get("/")
    assert start.headers["cache-control"] == "no-store"  # like every other page
    for response in (start, first, screen, result):
        if response is not start:  # the browser may keep it for the back gesture; no cache may
            assert response.headers["cache-control"] == "private, no-cache"
        assert "default-src 'self'" in response.headers["content-security-policy"]
        loaded = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', response.text)
        assert loaded and all(url.startswith("/") for url in loaded), loaded
    assert http.post("/print", data=answers).headers["cache-control"] == "no-store"


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


def test_not_sure_about_a_warning_sign_names_that_question(
    http: httpx.Client, complete: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    answers = complete(
        {"age": 40, "sex": "male", "pain_duration_days": 3, "pain_severity": 5, "fever": "unsure"}
    )
    page = http.post("/print", data={"answers": json.dumps(answers)}).text
    assert 'You answered "not sure" to: fever' in page.replace("&#34;", '"')
    assert "already an emergency" not in page


def test_not_sure_reasons_name_only_questions_answered_not_sure(
    http: httpx.Client, complete: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    """One "not sure" (saddle numbness) must not bring reasons about things never asked."""
    facts = {**SPASM, "saddle_numbness": "unsure"}
    answers = complete(facts)
    assert answers["saddle_numbness"] == "unsure"
    html = http.post("/print", data={"answers": json.dumps(answers)}).text
    reasons = re.search(r'<ul class="reasons">(.*?)</ul>', html, re.S)
    assert reasons is not None
    why = _text(reasons.group(1))
    assert "Numbness between the legs" in why
    assert "thinner bones" not in why  # rules left open by questions never asked are not told
    assert "breathlessness" not in why
    assert why.count('You answered "not sure"') == 1


def test_emergency_result_is_one_message_and_one_call_link(
    http: httpx.Client, complete: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    answers = complete({"age": 67, "pain_duration_days": 1, "one_side_body_weakness": True})
    page = http.post("/print", data={"answers": json.dumps(answers)}).text
    assert page.count('href="tel:') == 1
    assert 'class="call" href="tel:112"' in page
    assert "Do not drive yourself" in page
    assert "What may be contributing" not in page and "likely" not in _text(page).lower()
    assert "not ruled out" not in page.lower()
    assert "911" not in page
    emergency_words = _text(page).split("Why")[0]
    assert emergency_words.count("ambulance") <= 3


def test_self_care_result_says_what_to_do_and_by_when_in_few_words(
    http: httpx.Client, complete: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    answers = complete(SPASM)
    page = http.post("/interview", data={"answers": json.dumps(answers), "action": "show"}).text
    level = re.search(r'<section class="level.*?</section>', page, re.S)
    assert level is not None
    words = _text(level.group(0)).split()
    assert len(words) <= 120, len(words)
    assert "Check in again by" in level.group(0)
    before_folds = _text(page.split("<details")[0].split("<main")[1])
    assert "Get help if" in before_folds
    assert "Sources" not in before_folds  # the sources are folded away
    assert '<a class="cite" href="#source-1">[1]</a>' in page


def _text(html: str) -> str:
    """The words a person reads: tags dropped, entities for quotes undone."""
    text = re.sub(r"<[^>]+>", " ", html).replace("&#34;", '"').replace("&#39;", "'")
    return " ".join(text.split())


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
    result = http.post("/interview", data={"answers": json.dumps(answers), "action": "show"})
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
    result = http.post("/interview", data={"answers": json.dumps(answers), "action": "show"})
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
    assert answers["pain_duration_days"] == 2
    assert "fever" not in answers  # a red flag the text denied is asked again, on its own
    assert "saddle_numbness" not in answers  # "no numbness" is a general negation
    assert "age" not in rows_of(response.text)
    assert field(response.text, "steps").startswith("d")


def show(http: httpx.Client, answers: dict[str, object]) -> httpx.Response:
    """The page for a state kept in the browser: here, every question already answered."""
    return http.post("/interview", data={"answers": json.dumps(answers), "action": "show"})


def _calm_answers(**given: object) -> dict[str, object]:
    """Every yes/no question answered no, and the given answers."""
    from tests.support.knowledge import knowledge

    findings = knowledge().findings
    calm: dict[str, object] = {n: False for n, f in findings.items() if f.type == "bool"}
    calm.update(
        sex="female",
        pain_duration_days=3,
        pain_severity=4,
        pain_course="improving",
        pain_region="lower_back",
    )
    return {**calm, **given}


def test_a_child_gets_the_adults_only_page_with_who_to_contact(http: httpx.Client) -> None:
    answers = _calm_answers(age=8)
    page = show(http, answers)
    assert page.status_code == 200
    assert "This check is for adults" in page.text
    assert "GP" in page.text and "111" in page.text and "Call 112 straight away" in page.text
    assert "Your plan, step by step" not in page.text
    assert "Ibuprofen" not in page.text and "Paracetamol" not in page.text
    adult = show(http, {**answers, "age": 30})
    assert "This check is for adults" not in adult.text and "Your plan, step by step" in adult.text


def test_a_child_with_a_red_flag_is_still_an_emergency(http: httpx.Client) -> None:
    page = show(http, _calm_answers(bladder_retention=True, age=8))
    assert "Go to an emergency department now" in page.text
    assert page.text.index("Go to an emergency department now") < page.text.index(
        "This check is for adults"
    )


def test_what_was_read_can_be_changed_or_removed_in_place(http: httpx.Client) -> None:
    text = "I'm 38 and my back seized when I lifted a box 2 days ago."
    first = http.post("/interview", data={"answers": "{}", "action": "describe", "text": text})
    names = ("answers", "steps", "understood", "about")
    state = {name: field(first.text, name) for name in names}
    assert state["steps"] == f"d{len(json.loads(state['answers']))}"
    assert "Remove" in first.text and "age" in state["understood"].split(",")
    changed = http.post("/interview", data={**state, "fix": "age", "edit-age": "39"})
    assert json.loads(field(changed.text, "answers"))["age"] == 39
    flipped = http.post("/interview", data={**state, "fix": "trigger_lifting=false"})
    assert json.loads(field(flipped.text, "answers"))["trigger_lifting"] is False
    removed = http.post("/interview", data={**state, "fix": "age="})
    assert "age" not in json.loads(field(removed.text, "answers"))
    assert "age" not in field(removed.text, "understood").split(",")
    left = json.loads(field(removed.text, "answers"))
    assert field(removed.text, "steps") == f"d{len(left)}"  # the description step shrank
    assert field(changed.text, "steps") == state["steps"]  # a change keeps the steps
    junk = http.post("/interview", data={**state, "fix": "age", "edit-age": "900"})
    assert json.loads(field(junk.text, "answers"))["age"] == 38  # a misfit leaves it as it was


def test_a_story_about_someone_else_asks_about_them(http: httpx.Client) -> None:
    text = "My husband is 70 and his back went yesterday lifting a box."
    page = http.post("/interview", data={"answers": "{}", "action": "describe", "text": text})
    assert field(page.text, "about") == "he"
    title = re.search(r"<h1[^>]*>(.*?)</h1>", page.text)
    assert title is not None and "happening to him now" in title.group(1)
    legends = [
        re.sub(r"<[^>]+>", "", row) for row in re.findall(r"<legend>(.*?)</legend>", page.text)
    ]
    assert legends and any(re.search(r"\b(he|his|him)\b", row) for row in legends)
    assert not any(re.search(r"\byou(r)?\b", row, re.IGNORECASE) for row in legends)
    later = post_screen(http, page.text, {}, "none", about=field(page.text, "about"))
    rows = [
        re.sub(r"<[^>]+>", "", row) for row in re.findall(r"<legend>(.*?)</legend>", later.text)
    ]
    assert rows and not any(re.search(r"\byou(r)?\b", row, re.IGNORECASE) for row in rows)


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


def test_possible_labour_is_one_message_ring_the_maternity_unit(http: httpx.Client) -> None:
    for pregnancy in (
        {"pregnancy_pain_waves": True, "onset_sudden": True},
        {"abdominal_pain": True, "onset_sudden": False},
    ):
        later = {"pregnant": True, "pregnancy_weeks": "20_weeks_or_more"}
        answers = _calm_answers(age=30, **later, **pregnancy)
        page = http.post("/print", data={"answers": json.dumps(answers)}).text
        level = re.search(r'<section class="level emergency".*?</section>', page, re.S)
        assert level is not None
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", level.group(0), re.S)
        assert heading is not None and heading.group(1).strip() == "Ring your maternity unit now"
        told = _text(level.group(0))
        assert "emergency department" not in told and "A&E" not in told
        assert told.count("maternity unit") == 2  # the heading, and the one thing to do
        assert "Call 112 instead if there is heavy bleeding" in told
        assert page.count('href="tel:') == 1  # the number, still there, as the fallback
        assert 'class="call call-secondary" href="tel:112"' in page
        assert "999" not in page
        on_screen = _text(show(http, answers).text)
        assert "Go to an emergency department now" not in on_screen
        assert "ring your maternity unit or midwife now as well" not in on_screen  # once only


def test_not_sure_if_pregnant_sees_why_anti_inflammatories_are_left_out(
    http: httpx.Client,
) -> None:
    """PR-13: on the result page and its print, the anti-inflammatory is in the left-out list
    with the reason in her words, and paracetamol is the painkiller she is told about."""
    answers = _calm_answers(age=30, pregnant="unsure")
    for page in (
        show(http, answers).text,
        http.post("/print", data={"answers": json.dumps(answers)}).text,
    ):
        left_out = re.search(r'<ul class="withheld">(.*?)</ul>', page, re.S)
        assert left_out is not None
        words = _text(left_out.group(1))
        assert (
            "An anti-inflammatory painkiller may help. You are not sure whether you are pregnant"
            in words
        )
        assert "do not take ibuprofen or naproxen before speaking to a pharmacist" in words
        before_folds = _text(page.split('<ul class="withheld">')[0])
        assert "Paracetamol in pregnancy" in before_folds
        assert "An anti-inflammatory painkiller may help" not in before_folds


def test_later_pregnancy_warning_line_is_ring_the_maternity_unit(http: httpx.Client) -> None:
    """RR-04: from 20 weeks the maternity warning line is one action, with the emergency
    number as its fallback, not the level's 'go to an emergency department now'."""
    answers = _calm_answers(age=30, pregnant=True, pregnancy_weeks="20_weeks_or_more")
    page = show(http, answers).text
    lines = re.search(r'<ul class="help-lines">(.*?)</ul>', page, re.S)
    assert lines is not None
    (line,) = [
        _text(li)
        for li in re.findall(r"<li>(.*?)</li>", lines.group(1), re.S)
        if "baby moving less" in li
    ]
    assert "Ring your maternity unit now; they will tell you where to go." in line
    assert "If you cannot get through, call 112." in line
    assert "emergency department" not in line
