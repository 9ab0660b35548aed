"""The review app over HTTP (Starlette's TestClient): pages, filters, writes and their guards."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import warnings
from pathlib import Path

import pytest
from lxml import html

with warnings.catch_warnings():  # Starlette 1.x prefers another client; httpx still drives it
    warnings.filterwarnings("ignore", message="Using `httpx`")
    from starlette.testclient import TestClient

from l10n.review.app import Catalog, create_app
from l10n.run.store import Run

FIXTURE = Path(__file__).parent / "fixtures" / "run_sample"
RUN_ID = "20260301T090000Z-sample"
PORT = 8765  # never bound: TestClient talks to the app in process
BASE = f"http://127.0.0.1:{PORT}"
TOKEN = "test-token-123"


@pytest.fixture
def out(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "out" / RUN_ID)
    return tmp_path / "out"


@pytest.fixture
def client(out: Path) -> TestClient:
    app = create_app(Catalog.open(str(out)), token=TOKEN, port=PORT, reviewer="Mina Park")
    return TestClient(app, base_url=BASE)


def post(client: TestClient, body: object, **headers: str) -> object:
    sent = {"content-type": "application/json", "x-l10n-token": TOKEN, "origin": BASE}
    sent.update({k.replace("_", "-"): v for k, v in headers.items()})
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post("/api/decision", content=data, headers=sent)


def decision(**fields: object) -> dict:
    base = {
        "run": RUN_ID,
        "article": "nara-summit",
        "segment": 2,
        "lang": "ko",
        "action": "approve",
        "text": "공원 근처에 1만 명 이상이 모였다.",
        "comment": "",
        "reviewer": "Mina Park",
    }
    base.update(fields)
    return base


def stored_review(out: Path, article: str, index: int, lang: str) -> dict | None:
    lines = (out / RUN_ID / article / "segments.jsonl").read_text(encoding="utf-8").splitlines()
    return json.loads(lines[index])["targets"][lang].get("review")


def units(page: str) -> list[str]:
    return html.fromstring(page).xpath("//article[contains(@class, 'unit')]/@id")


def test_a_folder_of_runs_lists_them_and_a_run_folder_opens_it(out: Path) -> None:
    client = TestClient(create_app(Catalog.open(str(out)), token=TOKEN, port=PORT), base_url=BASE)
    page = client.get("/")
    assert page.status_code == 200
    assert html.fromstring(page.text).xpath("//tr[@class='run-row']/@data-run") == [RUN_ID]
    single = TestClient(
        create_app(Catalog.open(str(out / RUN_ID)), token=TOKEN, port=PORT), base_url=BASE
    )
    response = single.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/runs/{RUN_ID}"
    run_page = single.get(f"/runs/{RUN_ID}")
    ids = html.fromstring(run_page.text).xpath("//tr[@class='article-row']/@data-article")
    assert ids == ["nara-summit", "hostile-page"]


def test_an_approval_is_saved_and_shown(client: TestClient, out: Path) -> None:
    response = post(client, decision(comment="number restored"))
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["status"] == "approved" and "translation memory" in data["message"]
    fragment = html.fromstring(data["html"])
    assert fragment.get("id") == "u-ko-2" and "approved" in fragment.get("class")
    review = stored_review(out, "nara-summit", 2, "ko")
    assert review is not None
    assert (review["text"], review["reviewer"], review["comment"], review["origin"]) == (
        "공원 근처에 1만 명 이상이 모였다.",
        "Mina Park",
        "number restored",
        "app",
    )
    assert (out / ".l10n-tm.sqlite").is_file()
    page = client.get(f"/runs/{RUN_ID}/articles/nara-summit").text
    doc = html.fromstring(page)
    unit = doc.xpath("//article[@id='u-ko-2']")[0]
    assert unit.get("data-status") == "approved"
    assert "1만 명 이상이" in unit.xpath("string(.//p[contains(@class, 'reviewed')])")
    assert doc.xpath("string(//span[@data-lang='ko'])").startswith("ko 1/5 approved")


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"x_l10n_token": ""}, 403),
        ({"x_l10n_token": "guess"}, 403),
        ({"origin": "http://evil.example"}, 403),
        ({"origin": "null"}, 403),
        ({"origin": f"http://127.0.0.1:{PORT + 1}"}, 403),
        ({"sec_fetch_site": "cross-site"}, 403),
        ({"host": "evil.example"}, 421),
        ({"host": f"rebound.example:{PORT}"}, 421),
        ({"content_type": "text/plain"}, 415),
    ],
)
def test_writes_without_token_or_from_elsewhere_are_refused(
    client: TestClient, out: Path, headers: dict[str, str], status: int
) -> None:
    before = (out / RUN_ID / "nara-summit" / "segments.jsonl").read_bytes()
    response = post(client, decision(), **headers)
    assert response.status_code == status
    assert (out / RUN_ID / "nara-summit" / "segments.jsonl").read_bytes() == before


def test_a_referer_from_elsewhere_is_refused_when_there_is_no_origin(
    client: TestClient, out: Path
) -> None:
    sent = {"content-type": "application/json", "x-l10n-token": TOKEN}
    body = json.dumps(decision())
    evil = client.post(
        "/api/decision", content=body, headers={**sent, "referer": "http://evil.example/x"}
    )
    assert evil.status_code == 403
    assert stored_review(out, "nara-summit", 2, "ko") is None
    # A client that sends neither (a script holding the token) is let through.
    assert client.post("/api/decision", content=body, headers=sent).status_code == 200


def test_pages_answer_only_to_this_host(client: TestClient) -> None:
    assert client.get("/", headers={"host": "evil.example"}).status_code == 421
    assert client.get("/", headers={"host": f"localhost:{PORT}"}).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        json.dumps([1, 2]),
        json.dumps(decision(segment="2")),
        json.dumps(decision(segment=True)),
        json.dumps(decision(action="delete")),
        json.dumps(decision(text=["x"])),
        json.dumps(decision(reviewer="")),
        json.dumps(decision(comment="x" * 3000)),
        json.dumps(decision(segment=99)),
        json.dumps(decision(lang="fr")),
        json.dumps(decision(text="  ")),
    ],
)
def test_malformed_decisions_get_400_and_change_nothing(out: Path, body: str | bytes) -> None:
    client = TestClient(create_app(Catalog.open(str(out)), token=TOKEN, port=PORT), base_url=BASE)
    response = post(client, body)
    assert response.status_code == 400 and response.json()["error"]
    assert stored_review(out, "nara-summit", 2, "ko") is None


def test_oversized_bodies_are_refused(client: TestClient) -> None:
    response = post(client, decision(text="가" * 300_000))
    assert response.status_code == 413


@pytest.mark.parametrize(
    "path",
    [
        "/runs/no-such-run",
        "/runs/..%2F..%2Fetc",
        "/runs/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        f"/runs/{RUN_ID}/articles/no-such-article",
        f"/runs/{RUN_ID}/articles/..%2Frun.json",
        f"/runs/{RUN_ID}/articles/../../run.json",
        f"/runs/{RUN_ID}/articles/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
    ],
)
def test_unknown_and_hostile_ids_are_404_pages_that_escape_them(
    client: TestClient, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "<script>alert" not in response.text and "<img src=x" not in response.text


@pytest.mark.parametrize(
    ("field", "value"),
    [("run", "../etc"), ("run", "nope"), ("article", "../run.json"), ("article", "nope")],
)
def test_writes_to_unknown_runs_or_articles_are_404(
    client: TestClient, out: Path, field: str, value: str
) -> None:
    response = post(client, decision(**{field: value}))
    assert response.status_code == 404
    assert stored_review(out, "nara-summit", 2, "ko") is None


def test_hostile_article_text_is_escaped_and_only_the_app_script_may_run(
    client: TestClient,
) -> None:
    response = client.get(f"/runs/{RUN_ID}/articles/hostile-page")
    assert response.status_code == 200
    page = response.text
    assert "<script>window.__pwned" not in page and "<img src=x" not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    doc = html.fromstring(page)
    scripts = doc.xpath("//script")
    assert len(scripts) == 1 and doc.xpath("//*[@src] | //link | //iframe | //img") == []
    assert not [a for a in doc.xpath("//@*") if a.attrname.startswith("on")]
    csp = response.headers["content-security-policy"]
    digest = base64.b64encode(hashlib.sha256(scripts[0].text.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-frame-options"] == "DENY"
    token = doc.xpath("//meta[@name='l10n-token']/@content")
    assert token == [TOKEN]


def test_hostile_edits_come_back_escaped(client: TestClient) -> None:
    text = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
    response = post(client, decision(article="hostile-page", segment=1, lang="ko", text=text))
    assert response.status_code == 200
    assert "<img src=x" not in response.json()["html"]
    assert "<script>" not in response.json()["html"]


def test_filters_search_and_glossary_highlights(client: TestClient) -> None:
    path = f"/runs/{RUN_ID}/articles/nara-summit"
    assert len(units(client.get(path).text)) == 10
    assert units(client.get(path, params={"show": "flagged"}).text) == ["u-ko-2", "u-ko-4"]
    assert units(client.get(path, params={"show": "unresolved"}).text) == ["u-ko-4"]
    changed = units(client.get(path, params={"show": "changed", "lang": "ko"}).text)
    assert changed == ["u-ko-0", "u-ko-1"]
    assert units(client.get(path, params={"q": "35億"}).text) == ["u-ja-3"]
    assert units(client.get(path, params={"q": "nara", "lang": "ja"}).text) == [
        "u-ja-0",
        "u-ja-1",
        "u-ja-4",
    ]
    post(client, decision(segment=2, lang="ko"))
    post(client, decision(segment=4, lang="ko", action="reject", text=None))
    still_open = units(client.get(path, params={"show": "open", "lang": "ko"}).text)
    assert still_open == ["u-ko-0", "u-ko-1", "u-ko-3", "u-ko-4"]
    assert units(client.get(path, params={"show": "rejected"}).text) == ["u-ko-4"]
    doc = html.fromstring(client.get(path).text)
    marked = doc.xpath("//section[@id='seg-1']//div[@class='source']//mark/text()")
    assert {"Sanae Takaichi", "Lee Jae Myung", "Nara"} <= set(marked)
    # Unknown filter values are ignored rather than failing the page.
    assert len(units(client.get(path, params={"show": "<x>", "lang": "zz"}).text)) == 10


def test_the_run_page_filters_articles_and_counts_approvals(client: TestClient) -> None:
    path = f"/runs/{RUN_ID}"

    def rows(**params: str) -> list[str]:
        page = client.get(path, params=params).text
        return html.fromstring(page).xpath("//tr[@class='article-row']/@data-article")

    assert rows() == ["nara-summit", "hostile-page"]
    assert rows(q="hostile") == ["hostile-page"]
    assert rows(show="unresolved") == ["nara-summit"]
    assert rows(show="unresolved", lang="ja") == []
    for index in range(5):
        post(client, decision(segment=index, lang="ja", text=None))
    assert rows(show="open", lang="ja") == ["hostile-page"]
    assert rows(show="open") == ["nara-summit", "hostile-page"]  # ko still open
    page = client.get(path).text
    assert re.search(r"ja 5/5", page)


def test_a_locked_run_answers_409(client: TestClient, out: Path) -> None:
    with Run.open(out / RUN_ID).lock():
        response = post(client, decision())
    assert response.status_code == 409 and "being written" in response.json()["error"]
    assert stored_review(out, "nara-summit", 2, "ko") is None


def test_a_folder_without_runs_is_a_usage_error(tmp_path: Path) -> None:
    from l10n.errors import UsageError

    with pytest.raises(UsageError, match="neither a run folder"):
        Catalog.open(str(tmp_path))
    with pytest.raises(UsageError, match="no such folder"):
        Catalog.open(str(tmp_path / "missing"))


def test_run_json_follows_decisions_in_batches_and_waits_for_a_busy_run(out: Path) -> None:
    app = create_app(Catalog.open(str(out)), token=TOKEN, port=PORT, summary_delay=3600)
    client = TestClient(app, base_url=BASE)
    refresher = app.state.refresher
    summary = out / RUN_ID / "run.json"

    def ko_reviews() -> dict | None:
        targets = json.loads(summary.read_text(encoding="utf-8"))["articles"]["done"][0]
        return targets["targets"]["ko"].get("reviews")

    with Run.open(out / RUN_ID).lock():  # another process writes the run
        assert post(client, decision(segment=0, text=None)).status_code == 409
    assert post(client, decision(segment=1, text=None)).status_code == 200
    assert post(client, decision(segment=2)).status_code == 200
    assert ko_reviews() is None  # not yet: the batch waits for more decisions
    with Run.open(out / RUN_ID).lock():
        assert "not updated yet" in (refresher.flush(RUN_ID) or "")
    assert refresher.pending(RUN_ID)  # kept for the next batch
    assert refresher.close() is None  # stopping the server writes what is left
    assert ko_reviews() == {"approved": 2, "rejected": 0, "open": 3}


def test_serve_refuses_bad_folders_and_busy_ports_with_one_line(out: Path, tmp_path: Path) -> None:
    import socket

    from click.testing import CliRunner

    from l10n.cli import main

    for args, message in (
        ([str(tmp_path / "missing")], "no such folder"),
        ([str(tmp_path / "out" / RUN_ID / "nara-summit")], "neither a run folder"),
    ):
        result = CliRunner().invoke(main, ["review", "serve", *args])
        assert result.exit_code == 2 and message in result.output
        assert "Traceback" not in result.output
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = CliRunner().invoke(main, ["review", "serve", str(out), "--port", str(port)])
    assert result.exit_code == 2 and f"port {port} is in use" in result.output


def test_runs_that_stored_nothing_are_hidden_from_the_list(out: Path) -> None:
    from l10n.models import ArticleOutcome, EngineIdentity, Status
    from l10n.run.summary import RunSummary

    failed = RunSummary("20260301-100000-ab12", "now", ["ko"], [EngineIdentity("argos")], {})
    failed.outcomes = [ArticleOutcome("story", "story.txt", Status.FAILED, "no Argos package")]
    Run.create(str(out), failed.run_id).write_summary(failed)
    client = TestClient(create_app(Catalog.open(str(out)), token=TOKEN, port=PORT), base_url=BASE)
    page = html.fromstring(client.get("/").text)
    assert page.xpath("//tr[@class='run-row']/@data-run") == [RUN_ID]
    assert "1 run(s) that stored no article" in page.xpath("string(//p[@class='note empty-runs'])")
    assert client.get(f"/runs/{failed.run_id}").status_code == 200  # still opens by its id


def test_filters_combine_flagged_and_open_and_narrow_by_flag_code(client: TestClient) -> None:
    path = f"/runs/{RUN_ID}/articles/nara-summit"

    def shown(**params: str) -> list[str]:
        return units(client.get(path, params=params).text)

    assert shown(show="flagged,open") == ["u-ko-2", "u-ko-4"]
    assert shown(flag="number-missing") == ["u-ko-2"]
    post(client, decision(segment=4, lang="ko", text="이 대통령은 나라 사람들에게 감사했다."))
    # approved, so no longer open; the "and" select of the form combines the same way
    assert shown(show="flagged", also="open") == ["u-ko-2"]
    assert shown(show="open", flag="unresolved-term") == []
    # the approval fixed the number: its flag went, and "flagged AND open" empties
    post(client, decision(segment=2, lang="ko"))
    assert shown(show="flagged,open") == []
    assert shown(flag="number-missing") == []
    page = client.get(f"/runs/{RUN_ID}", params={"flag": "ambiguous-target"}).text
    assert html.fromstring(page).xpath("//tr[@class='article-row']/@data-article") == []


def test_the_least_confident_segments_come_first_when_ordered_by_score(
    out: Path, client: TestClient
) -> None:
    run = Run.open(out / RUN_ID)
    translated = run.read_article("nara-summit")
    scores = {2: -2.5, 4: -0.4}  # the model's mean log-probability per token
    for lang, rows in translated.translations.items():
        for row in rows:
            row.score = scores.get(row.segment, -1.0 if lang == "ja" else None)
    run.update_article(translated)
    path = f"/runs/{RUN_ID}/articles/nara-summit"
    in_order = units(client.get(path, params={"lang": "ko"}).text)
    by_score = units(client.get(path, params={"lang": "ko", "order": "score"}).text)
    assert by_score[:2] == ["u-ko-2", "u-ko-4"] and sorted(by_score) == sorted(in_order)
    assert in_order != by_score  # document order otherwise
    page = client.get(path, params={"lang": "ko", "order": "score"}).text
    assert "model score -2.50" in page and 'value="score" selected' in page
