"""The review app's names panel over HTTP: the run's names page, the article panel, and
applying one rendering to every segment written otherwise (edits, not approvals)."""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path
from typing import Any

import pytest
from lxml import html

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx`")
    from starlette.testclient import TestClient

from l10n.models import FlagCode
from l10n.pipeline import RunOptions, translate_run
from l10n.review.app import Catalog, create_app
from l10n.review.name_choice import _replace
from l10n.run.store import Run

EVAL = Path("evaluation/names/articles.jsonl")
RUN_ID = "names-panel"
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
TOKEN = "names-token"


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("names-run")
    options = RunOptions(
        inputs=[str(EVAL)], targets=("ja", "ko"), engine="auto", out=str(out), run_id=RUN_ID
    )
    translate_run(options)
    return out


@pytest.fixture
def out(stored: Path, tmp_path: Path) -> Path:
    shutil.copytree(stored, tmp_path / "out")
    return tmp_path / "out"


@pytest.fixture
def client(out: Path) -> TestClient:
    app = create_app(Catalog.open(str(out)), token=TOKEN, port=PORT, reviewer="Mina Park")
    return TestClient(app, base_url=BASE)


def post(client: TestClient, body: object, **headers: str) -> Any:
    sent = {"content-type": "application/json", "x-l10n-token": TOKEN, "origin": BASE}
    sent.update(headers)
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post("/api/names/apply", content=data, headers=sent)


def buttons(page: str) -> dict[tuple[str, str, str], dict]:
    """(lang, form, rendering) → the choice its button would send."""
    out = {}
    for b in html.fromstring(page).xpath("//button[contains(@class, 'names-apply')]"):
        body = {k: b.get(f"data-{k}") for k in ("run", "lang", "key", "form", "text")}
        body["segments"] = json.loads(b.get("data-segments"))
        out[(body["lang"], body["form"], body["text"])] = body
    return out


def target(out: Path, article: str, index: int, lang: str) -> dict:
    rows = Run.open(out / RUN_ID).read_segment_rows(article) or []  # with its decision log
    return rows[index]["targets"][lang]


def name_flags(row: dict) -> list[str]:
    return [f["message"] for f in row["flags"] if f["code"] == FlagCode.NAME_INCONSISTENT]


def test_the_names_page_lists_each_name_its_renderings_and_where(client: TestClient) -> None:
    page = client.get(f"/runs/{RUN_ID}/names")
    assert page.status_code == 200
    doc = html.fromstring(page.text)
    row = doc.xpath("//tr[@data-name='Cho Hyun'][@data-lang='ko']")[0]
    assert "inconsistent" in row.get("class")
    renderings = row.xpath(".//li[@class='rendering']")
    assert [li.get("data-text") for li in renderings] == ["조현", "조 현", "초현"]
    assert "×4" in renderings[0].text_content()
    links = renderings[2].xpath(".//a/@href")
    assert links == [f"/runs/{RUN_ID}/articles/names-visit-preview#u-ko-3"]
    # a consistent name offers no choice; a glossary name shows its entry
    kim = doc.xpath("//tr[@data-name='Kim Min-seok']")
    assert kim and all("inconsistent" not in r.get("class") for r in kim)
    assert not kim[0].xpath(".//button[contains(@class, 'names-apply')]")
    draft = doc.xpath("//tr[@data-name='Cho Hyun']//pre[@class='draft-yaml']")[0].text
    assert "Cho Hyun" in draft and "조현" in draft and "초현" in draft
    choice = buttons(page.text)[("ko", "Cho Hyun", "조현")]
    assert {(s["article"], s["segment"]) for s in choice["segments"]} == {
        ("names-ministers-phone-call", 2),
        ("names-visit-preview", 3),
    }


def test_a_language_filter_keeps_that_language(client: TestClient) -> None:
    doc = html.fromstring(client.get(f"/runs/{RUN_ID}/names?lang=ja").text)
    langs = set(doc.xpath("//tr[contains(@class, 'name-row')]/@data-lang"))
    assert langs == {"ja"}


def test_the_run_page_links_to_the_names(client: TestClient) -> None:
    doc = html.fromstring(client.get(f"/runs/{RUN_ID}").text)
    assert doc.xpath(f"//a[@href='/runs/{RUN_ID}/names']")


def test_choosing_a_rendering_writes_edits_not_approvals(client: TestClient, out: Path) -> None:
    before = target(out, "names-visit-preview", 3, "ko")
    assert name_flags(before)
    choice = buttons(client.get(f"/runs/{RUN_ID}/names").text)[("ko", "Cho Hyun", "조현")]
    response = post(client, {**choice, "reviewer": "Mina Park"})
    assert response.status_code == 200, response.text
    data = response.json()
    assert sorted(data["edited"]) == ["names-ministers-phone-call#2", "names-visit-preview#3"]
    for article, index, old in (
        ("names-visit-preview", 3, "초현"),
        ("names-ministers-phone-call", 2, "조 현"),
    ):
        row = target(out, article, index, "ko")
        review = row["review"]
        assert review["status"] == "edited" and review["origin"] == "names"
        assert review["reviewer"] == "Mina Park"
        assert "조현" in review["text"] and old not in review["text"]
        assert old in row["final"]  # the corrected text is kept; the edit is the review's
        assert repr(old) in review["comment"]
        assert name_flags(row) == []  # the names pass ran again on the edited text
    # other names' flags stay, and nothing was approved
    assert name_flags(target(out, "names-visit-preview", 2, "ja"))
    summary = Run.open(out / RUN_ID).read_summary()
    outcome = next(o for o in summary.done if o.id == "names-visit-preview")
    reviews = outcome.targets["ko"].reviews
    assert reviews is not None and reviews.approved == 0 and reviews.open == 5
    assert outcome.targets["ko"].flag_codes.get("name-inconsistent", 0) == 0
    draft = (out / RUN_ID / "names-visit-preview" / "ko.draft.txt").read_text(encoding="utf-8")
    assert "[EDITED, NOT APPROVED] 조현 외교부 장관은" in draft
    page = html.fromstring(client.get(f"/runs/{RUN_ID}/names").text)
    row = page.xpath("//tr[@data-name='Cho Hyun'][@data-lang='ko']")[0]
    assert "inconsistent" not in row.get("class")


def test_approving_an_edited_segment_keeps_the_edit(client: TestClient, out: Path) -> None:
    choice = buttons(client.get(f"/runs/{RUN_ID}/names").text)[("ko", "Cho Hyun", "조현")]
    assert post(client, choice).status_code == 200
    unit = html.fromstring(client.get(f"/runs/{RUN_ID}/articles/names-visit-preview").text).xpath(
        "//article[@id='u-ko-3']"
    )[0]
    assert unit.get("data-status") == "edited"
    decision = {
        "run": RUN_ID,
        "article": "names-visit-preview",
        "segment": 3,
        "lang": "ko",
        "action": "approve",
        "text": None,
        "reviewer": "Mina Park",
        "base": unit.get("data-version"),
    }
    sent = {"content-type": "application/json", "x-l10n-token": TOKEN, "origin": BASE}
    response = client.post("/api/decision", content=json.dumps(decision), headers=sent)
    assert response.status_code == 200, response.text
    review = target(out, "names-visit-preview", 3, "ko")["review"]
    assert review["status"] == "approved" and review["text"].startswith("조현 외교부")


def test_a_stale_page_writes_nothing(client: TestClient, out: Path) -> None:
    choice = buttons(client.get(f"/runs/{RUN_ID}/names").text)[("ja", "Iwaya", "岩屋")]
    first = choice["segments"][0]
    decision = {  # another reviewer approves one of the listed segments meanwhile
        "run": RUN_ID,
        "article": first["article"],
        "segment": first["segment"],
        "lang": "ja",
        "action": "approve",
        "reviewer": "Jun Sato",
        "base": first["base"],
    }
    sent = {"content-type": "application/json", "x-l10n-token": TOKEN, "origin": BASE}
    assert client.post("/api/decision", content=json.dumps(decision), headers=sent).is_success
    client.get(f"/runs/{RUN_ID}")  # the run summary takes that decision now
    files = {p: p.read_bytes() for p in (out / RUN_ID).rglob("*") if p.is_file()}
    response = post(client, choice)
    assert response.status_code == 409
    data = response.json()
    assert data["stale"] is True
    assert data["segments"] == [f"{first['article']}#{first['segment']}"]
    assert {p: p.read_bytes() for p in files} == files


def test_the_article_panel_offers_its_own_segments_only(client: TestClient) -> None:
    page = client.get(f"/runs/{RUN_ID}/articles/names-ministers-phone-call")
    doc = html.fromstring(page.text)
    panel = doc.xpath("//details[@class='names-panel']")[0]
    assert panel.get("open") is not None  # something in it is written more than one way
    assert "Cho Hyun" in panel.text_content()
    for choice in buttons(page.text).values():
        assert {s["article"] for s in choice["segments"]} == {"names-ministers-phone-call"}
    choice = buttons(page.text)[("ko", "Cho Hyun", "조현")]
    assert [s["segment"] for s in choice["segments"]] == [2]


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        (b"{not json", 400, "not JSON"),
        ({"run": RUN_ID, "lang": "ko", "key": "Cho Hyun", "form": "Cho Hyun"}, 400, "'text'"),
        (
            {"run": RUN_ID, "lang": "ko", "key": "K", "form": "K", "text": "x", "segments": []},
            400,
            "'segments'",
        ),
        (
            {
                "run": RUN_ID,
                "lang": "ko",
                "key": "K",
                "form": "K",
                "text": "x",
                "segments": [{"article": "nope", "segment": 0, "base": ""}],
            },
            400,
            "no finished article",
        ),
        (
            {
                "run": "other-run",
                "lang": "ko",
                "key": "K",
                "form": "K",
                "text": "x",
                "segments": [{"article": "a", "segment": 0, "base": ""}],
            },
            404,
            "no run",
        ),
    ],
)
def test_bad_choices_are_refused_with_a_reason(
    client: TestClient, body: object, status: int, says: str
) -> None:
    response = post(client, body)
    assert response.status_code == status
    assert says in response.json()["error"]


def test_a_choice_needs_the_token(client: TestClient) -> None:
    choice = buttons(client.get(f"/runs/{RUN_ID}/names").text)[("ko", "Cho Hyun", "조현")]
    response = post(client, choice, **{"x-l10n-token": "wrong"})
    assert response.status_code == 403


def test_a_korean_particle_follows_the_new_name() -> None:
    assert _replace("초현은 말했다.", 0, 2, "조하", "ko") == "조하는 말했다."
    assert _replace("岩谷氏は述べた。", 0, 2, "岩屋", "ja") == "岩屋氏は述べた。"


def test_a_name_with_no_rendering_is_listed_as_not_located(tmp_path: Path) -> None:
    article = {
        "id": "ministry-note",
        "title": "Ministry Comments",
        "lang": "en",
        "body": "The Ministry of Foreign Affairs said Foreign Minister Cho Hyun would travel.",
        "translations": {"ko": "외교부, 논평\n\n외교부는 조현 외교부 장관이 출국한다고 밝혔다."},
    }
    source = tmp_path / "ministry.jsonl"
    source.write_text(json.dumps(article, ensure_ascii=False) + "\n", encoding="utf-8")
    options = RunOptions(
        inputs=[str(source)], targets=("ko",), engine="auto", out=str(tmp_path), run_id="m"
    )
    translate_run(options)
    app = create_app(Catalog.open(str(tmp_path / "m")), token=TOKEN, port=PORT, reviewer="M")
    doc = html.fromstring(TestClient(app, base_url=BASE).get("/runs/m/names").text)
    row = doc.xpath("//tr[@data-name='Ministry of Foreign Affairs']")[0]
    assert (
        row.xpath(".//li[@class='not-located']")[0]
        .text_content()
        .startswith("not located ×1 · ministry-note#1")
    )
    assert not doc.xpath("//tr[@data-name='Cho Hyun']//li[@class='not-located']")


def test_a_save_refused_midway_keeps_the_run_consistent(
    client: TestClient, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from l10n.glossary import load_glossary
    from l10n.review import name_choice
    from l10n.review.decisions import DecisionError

    choice = buttons(client.get(f"/runs/{RUN_ID}/names").text)[("ko", "Cho Hyun", "조현")]
    real = name_choice.save_decisions
    calls: list[str] = []

    def second_refused(run: Run, article_id: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(article_id)
        if len(calls) > 1:  # as if another process decided the segment meanwhile
            raise DecisionError("refused")
        return real(run, article_id, *args, **kwargs)

    monkeypatch.setattr(name_choice, "save_decisions", second_refused)
    segments = tuple((s["article"], s["segment"], s["base"]) for s in choice["segments"])
    with pytest.raises(DecisionError):
        name_choice.apply_name_choice(
            Run.open(out / RUN_ID),
            name_choice.NameChoice("ko", "Cho Hyun", "Cho Hyun", "조현", "Mina", segments),
            glossary=load_glossary("glossaries/leaders.yaml"),
        )
    first, second = calls
    saved = next(s for s in choice["segments"] if s["article"] == first)
    row = target(out, first, saved["segment"], "ko")
    assert row["review"]["status"] == "edited" and name_flags(row) == []
    refused = next(s for s in choice["segments"] if s["article"] == second)
    assert "review" not in target(out, second, refused["segment"], "ko")


def test_both_save_routes_answer_a_run_being_written_alike(client: TestClient, out: Path) -> None:
    choice = buttons(client.get(f"/runs/{RUN_ID}/names").text)[("ko", "Cho Hyun", "조현")]
    decision = {
        "run": RUN_ID,
        "article": "names-visit-preview",
        "segment": 3,
        "lang": "ko",
        "action": "approve",
        "text": None,
        "reviewer": "Mina Park",
    }
    sent = {"content-type": "application/json", "x-l10n-token": TOKEN, "origin": BASE}
    with Run.open(out / RUN_ID).lock():  # as `l10n translate` holds it while it writes
        answers = [
            client.post("/api/decision", content=json.dumps(decision), headers=sent),
            post(client, {**choice, "reviewer": "Mina Park"}),
        ]
    for response in answers:
        assert response.status_code == 409, response.text
        data = response.json()
        assert data["ok"] is False and data["error"].startswith("not saved: run ")
        assert "is being written by" in data["error"]
    assert "review" not in target(out, "names-visit-preview", 3, "ko")
