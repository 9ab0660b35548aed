"""The review app under hostile or unlucky use: bad bodies, two reviewers, comments, long pages."""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import pytest
from lxml import html

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx`")
    from starlette.testclient import TestClient

from l10n.review.app import Catalog, create_app
from l10n.run.store import Run

FIXTURE = Path(__file__).parent / "fixtures" / "run_sample"
RUN_ID = "20260301T090000Z-sample"
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
TOKEN = "test-token-123"
HEADERS = {"content-type": "application/json", "x-l10n-token": TOKEN, "origin": BASE}


@pytest.fixture
def out(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "out" / RUN_ID)
    return tmp_path / "out"


@pytest.fixture
def client(out: Path) -> TestClient:
    app = create_app(Catalog.open(str(out)), token=TOKEN, port=PORT, reviewer="Mina Park")
    return TestClient(app, base_url=BASE)


def body(**fields: object) -> dict:
    data = {
        "run": RUN_ID,
        "article": "nara-summit",
        "segment": 2,
        "lang": "ko",
        "action": "approve",
        "text": "공원 근처에 1만 명 이상이 모였다.",
        "comment": "",
        "reviewer": "Mina Park",
    }
    data.update(fields)
    return data


def post(client: TestClient, data: object) -> object:
    raw = data if isinstance(data, (str, bytes)) else json.dumps(data)
    return client.post("/api/decision", content=raw, headers=HEADERS)


def stored(out: Path, index: int = 2, lang: str = "ko") -> dict:
    # the stored rows with the decisions in the article's log (docs/review.md)
    rows = Run.open(out / RUN_ID).read_segment_rows("nara-summit") or []
    return rows[index]["targets"][lang]


LONE_SURROGATE = json.dumps(body(text="X")).replace('"X"', '"\\ud800 text"')


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (LONE_SURROGATE, "invalid Unicode"),
        ("[" * 120_000 + "]" * 120_000, "nested too deeply"),
    ],
)
def test_bad_unicode_and_deep_nesting_get_400_with_a_message(
    client: TestClient, out: Path, raw: str, message: str
) -> None:
    response = post(client, raw)
    assert response.status_code == 400 and message in response.json()["error"]
    assert "review" not in stored(out)


def test_control_characters_are_stripped_from_stored_text(client: TestClient, out: Path) -> None:
    response = post(
        client, body(text="공원\x00 근처에\x1b[31m 1만 명이\t모였다.", comment="a\x07b")
    )
    assert response.status_code == 200
    review = stored(out)["review"]
    assert review["text"] == "공원 근처에[31m 1만 명이 모였다." and review["comment"] == "ab"


def test_a_stale_write_gets_409_with_both_texts(client: TestClient, out: Path) -> None:
    page = client.get(f"/runs/{RUN_ID}/articles/nara-summit").text
    [loaded] = html.fromstring(page).xpath("//article[@id='u-ko-2']/@data-version")
    assert loaded == ""  # not reviewed yet
    first = post(client, body(base=loaded, reviewer="Mina Park"))
    assert first.status_code == 200
    second = post(client, body(base=loaded, reviewer="Jun Seo", text="공원에 만 명이 모였다."))
    assert second.status_code == 409
    data = second.json()
    assert data["theirs"] == "공원 근처에 1만 명 이상이 모였다." and data["by"] == "Mina Park"
    assert data["yours"] == "공원에 만 명이 모였다."
    assert stored(out)["review"]["reviewer"] == "Mina Park"  # nothing lost
    # Choosing to keep theirs or to overwrite: the reviewer decides again with the new version.
    again = post(
        client, body(base=data["version"], reviewer="Jun Seo", text="공원에 만 명이 모였다.")
    )
    assert again.status_code == 200
    assert stored(out)["review"]["text"] == "공원에 만 명이 모였다."


def test_a_comment_is_a_decision_of_its_own(client: TestClient, out: Path) -> None:
    response = post(client, body(action="comment", text=None, comment="check the number"))
    assert response.status_code == 200
    review = stored(out)["review"]
    assert review["status"] == "commented" and review["comment"] == "check the number"
    assert not (out / RUN_ID / "nara-summit" / "ko.reviewed.txt").exists()
    post(client, body(segment=3, action="approve", text=None))
    post(client, body(segment=3, action="comment", text=None, comment="tone ok"))
    review = stored(out, 3)["review"]
    assert review["status"] == "approved" and review["comment"] == "tone ok"  # status kept
    page = client.get(
        f"/runs/{RUN_ID}/articles/nara-summit", params={"show": "open", "lang": "ko"}
    ).text
    open_units = html.fromstring(page).xpath("//article[contains(@class, 'unit')]/@id")
    assert "u-ko-2" in open_units and "u-ko-3" not in open_units


def test_long_articles_are_paginated(client: TestClient, out: Path) -> None:
    folder = out / RUN_ID / "nara-summit"
    rows = [json.loads(line) for line in (folder / "segments.jsonl").read_text().splitlines()]
    many = []
    for n in range(250):
        row = json.loads(json.dumps(rows[2 + n % 3]))
        row["index"] = n
        row["paragraph"] = n
        many.append(row)
    (folder / "segments.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in many), encoding="utf-8"
    )
    path = f"/runs/{RUN_ID}/articles/nara-summit"

    def sections(**params: str) -> list[str]:
        return html.fromstring(client.get(path, params=params).text).xpath("//section/@id")

    assert len(sections()) == 100 and sections()[0] == "seg-0"
    assert sections(page="3") == [f"seg-{n}" for n in range(200, 250)]
    page = html.fromstring(client.get(path).text)
    assert page.xpath("//nav[@class='pages']//a[@rel='next']/@href") == ["?page=2"]
    response = post(client, body(segment=240))
    assert response.status_code == 200 and "u-ko-240" in response.json()["html"]
