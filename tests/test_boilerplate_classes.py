"""The classifier on each class of site furniture, in English, Japanese, Korean and Chinese.

Every case puts furniture between paragraphs of a story and checks that all of
it goes, with a reason of the expected class, and that every story line stays.
"""

from __future__ import annotations

import pytest

from l10n.articles.boilerplate import REPEATED_BLOCK, strip_boilerplate
from l10n.articles.read import InputError, article_from_html

STORIES = {
    "en": [
        "Japan and South Korea agree to expand youth exchange programme",
        "Japan and South Korea agreed on Tuesday to double the number of students in their "
        "exchange programme, officials in both capitals said.",
        "The programme will fund 10,000 places a year from next April, according to a joint "
        "statement released by the two foreign ministries.",
        "Officials said the first students would arrive in the autumn and stay for a year.",
    ],
    "ja": [
        "日韓、若者交流を倍増へ　来年4月から年1万人",
        "日本と韓国の両政府は4日、両国の若者の交流事業を倍増させることで合意したと発表した。",
        "来年4月から年間1万人の参加を支援する。両国の外務省が共同声明を出した。",
        "最初の学生は秋に渡航し、1年間滞在する予定だという。",
    ],
    "ko": [
        "한일, 청년 교류 두 배로 확대…내년 4월부터 연 1만명",
        "한국과 일본 정부는 4일 양국 청년 교류 사업을 두 배로 늘리기로 합의했다고 밝혔다.",
        "내년 4월부터 연간 1만 명의 참가를 지원하며 양국 외교부가 공동 성명을 냈다.",
        "첫 참가 학생들은 가을에 출국해 1년 동안 머물 예정이다.",
    ],
    "zh": [
        "中日韩青年交流项目规模将翻番 明年起每年一万人",
        "中国、日本和韩国有关部门4日宣布，三国青年交流项目的规模将扩大一倍。",
        "从明年4月起，项目每年将资助一万名青年参加交流活动，三国外交部门发表了联合声明。",
        "首批学生将于秋季出发，在对方国家学习和生活一年。",
    ],
}


def _page(language: str, furniture: list[str]) -> list[str]:
    title, first, second, third = STORIES[language]
    return [title, "", first, "", *furniture, "", second, "", third]


def _check(rules, language: str, furniture: list[str], cls: str) -> None:
    lines = _page(language, furniture)
    kept, dropped = strip_boilerplate(lines, rules, None)
    assert [line for line in kept if line.strip()] == STORIES[language]
    assert sorted(d.text for d in dropped) == sorted(line.strip() for line in furniture)
    for d in dropped:
        assert d.rule.split("/")[0] == cls, (d.text, d.rule)


CASES = [
    ("nav", "en", ["Skip to main navigation"]),
    ("nav", "ja", ["本文へスキップ"]),
    ("nav", "ko", ["본문 바로가기"]),
    ("nav", "zh", ["网站导航"]),
    ("caption", "en", ["(Harbor Photo/Kim Min-ji, File)"]),
    ("caption", "en", ["Photo: Kim Min-ji/Harbor Wire"]),
    ("caption", "en", ["Kim Min-ji | Harbor Wire via Northgate"]),
    ("caption", "en", ["Lee and Takaichi at the talks. Photograph: Kim Min-ji/Harbor Wire"]),
    ("caption", "ja", ["写真：北門通信"]),
    ("caption", "ko", ["사진=하버뉴스 제공"]),
    ("caption", "zh", ["图片来源：海港社"]),
    ("player", "en", ["Video", "0:00", "1:45", "Network error"]),
    ("player", "ja", ["動画を再生する"]),
    ("player", "ko", ["동영상 재생"]),
    ("player", "zh", ["视频加载中..."]),
    ("subscribe", "en", ["This article is for subscribers only.", "Already a subscriber? Sign in"]),
    ("subscribe", "en", ["You have 2 free articles left this month."]),
    ("subscribe", "ja", ["この記事は有料会員限定です。", "ログイン"]),
    ("subscribe", "ko", ["이 기사는 유료회원 전용입니다.", "로그인"]),
    ("subscribe", "zh", ["本文仅限会员阅读", "登录"]),
    ("share", "en", ["Share", "Facebook", "X", "LinkedIn", "Copy link"]),
    ("share", "ja", ["シェア", "ポスト", "LINEで送る"]),
    ("share", "ko", ["공유하기", "카카오톡", "링크 복사"]),
    ("share", "zh", ["分享到：", "微信", "微博"]),
    (
        "embed",
        "en",
        [
            "Talks went well today. pic.twitter.com/Ab12Cd34",
            "— Harbor Ministry (@harbor_ministry) March 4, 2025",
        ],
    ),
    ("embed", "ja", ["会談は有意義でした。https://t.co/Xy12Ab"]),
    ("comment", "en", ["Leave a comment", "Was this article helpful?", "Yes", "No"]),
    ("comment", "ja", ["コメントを書く"]),
    ("comment", "ko", ["댓글 쓰기"]),
    ("comment", "zh", ["发表评论"]),
    ("ad", "en", ["ADVERTISEMENT"]),
    ("ad", "en", ["ARTICLE AD BOX"]),
    ("ad", "en", ["Story continues below advertisement"]),
    ("ad", "ja", ["広告"]),
    ("ad", "ko", ["광고"]),
    ("ad", "zh", ["广告"]),
    ("copyright", "en", ["© 2025 Harbor Daily"]),
    ("copyright", "en", ["Copyright Harbor Daily. All rights reserved."]),
    ("copyright", "ja", ["無断転載・複製を禁じます"]),
    ("copyright", "ko", ["무단전재 및 재배포 금지"]),
    ("copyright", "zh", ["版权所有 未经许可不得转载"]),
    ("continue", "en", ["Continue reading"]),
    ("continue", "en", ["Keep on reading"]),
    ("continue", "en", ["Read the full article"]),
    ("continue", "ja", ["続きを読む"]),
    ("continue", "ko", ["기사 전문 보기"]),
    ("continue", "zh", ["展开全文"]),
    (
        "promo",
        "en",
        [
            "Get our Morning Briefing newsletter",
            "The day's most important stories, explained, in your inbox every weekday.",
            "Sign up",
        ],
    ),
    ("promo", "en", ["Join our WhatsApp channel", "Breaking news straight to your phone."]),
    ("promo", "en", ["Follow us on Telegram for the latest updates"]),
    ("promo", "en", ["Download our app", "Get alerts as news breaks."]),
    ("promo", "ja", ["公式LINEを友だち追加すると、毎朝ニュースが届きます。"]),
    ("promo", "ko", ["카카오톡 채널 추가하고 주요 뉴스 받아보기"]),
    ("promo", "zh", ["扫码关注我们的公众号"]),
    ("cookie", "en", ["We use cookies to improve your experience.", "Accept all cookies"]),
]


@pytest.mark.parametrize(("cls", "language", "furniture"), CASES)
def test_furniture_goes_and_story_stays(rules, cls, language, furniture):
    _check(rules, language, furniture, cls)


def test_every_class_of_the_issue_has_a_case_in_every_main_language():
    for cls in ("nav", "caption", "player", "subscribe", "share", "comment", "ad"):
        assert {lang for c, lang, _ in CASES if c == cls} >= {"en", "ja", "ko", "zh"}, cls
    for cls in ("copyright", "continue", "promo"):
        assert {lang for c, lang, _ in CASES if c == cls} >= {"en", "ja", "ko", "zh"}, cls


@pytest.mark.parametrize(
    ("language", "heading", "items"),
    [
        (
            "en",
            "Related stories",
            ["Lee and Takaichi plan a second summit in Seoul", "Beijing sends envoy to Tokyo"],
        ),
        ("ja", "関連記事", ["日韓外相が電話協議", "首脳会談へ準備進む"]),
        ("ko", "관련기사", ["한일 외교장관 통화", "정상회담 준비 본격화"]),
        ("zh", "相关新闻", ["中日韩外长将举行会谈", "三国青年交流恢复"]),
    ],
)
def test_related_list_goes_with_its_heading(rules, language, heading, items):
    lines = _page(language, [heading, *items])
    kept, dropped = strip_boilerplate(lines, rules, None)
    assert [line for line in kept if line.strip()] == STORIES[language]
    assert [d.rule for d in dropped] == ["related/heading"] + ["related/list"] * len(items)


def test_inline_related_link_goes(rules):
    _check(rules, "en", ["Read more: Lee and Takaichi plan a second summit in Seoul"], "related")
    _check(rules, "ja", ["【関連記事】日韓外相が電話協議"], "related")


def test_menu_before_the_title_goes(rules):
    menu = ["Home", "World", "Asia", "Markets", "Opinion"]
    lines = [*menu, *_page("en", [])]
    kept, dropped = strip_boilerplate(lines, rules, None)
    assert [line for line in kept if line.strip()] == STORIES["en"]
    assert {d.rule.split("/")[0] for d in dropped} == {"nav"}


def test_related_heading_does_not_eat_a_page_without_blank_lines(rules):
    story = [
        "Riverside council approves new park on old rail yard",
        "The city council voted 7-2 on Tuesday to turn the old rail yard into a public park.",
        "Construction of the trails and a playground is expected to begin next spring.",
        "Supporters said the park would give the east side its first large green space.",
        "How it will be paid for",
        "The city will cover half of the cost from a bond approved by voters in 2022.",
        "The rest is expected to come from state grants and private donations.",
        "What happens next",
        "The parks department will hold three public meetings this spring.",
    ]
    links = [
        "Related:",
        "Council delays vote on rail yard plan after residents pack meeting",
        "Developer drops bid for riverside apartments near the old yard",
    ]
    lines = story[:3] + links + story[3:]
    kept, dropped = strip_boilerplate(lines, rules, None)
    assert kept == story
    assert [d.text for d in dropped] == links


def test_short_subheading_right_after_a_related_list_is_kept(rules):
    story = [
        "Riverside council approves new park on old rail yard",
        "The city council voted 7-2 on Tuesday to turn the old rail yard into a public park.",
        "What happens next",
        "The parks department will hold three public meetings this spring.",
    ]
    links = [
        "Related:",
        "Council delays vote on rail yard plan after residents pack meeting",
        "Developer drops bid for riverside apartments near the old yard",
    ]
    lines = story[:2] + links + story[2:]
    kept, dropped = strip_boilerplate(lines, rules, None)
    assert kept == story
    assert [d.text for d in dropped] == links


def test_read_more_heading_at_the_end_takes_only_its_links(rules):
    story = STORIES["en"]
    links = ["Read more", "Tokyo stocks close at a record", "Seoul raises its growth forecast"]
    lines = [*story, *links]
    kept, dropped = strip_boilerplate(lines, rules, None)
    assert kept == story
    assert [d.text for d in dropped] == links


def test_lone_heading_before_a_paragraph_of_the_story_is_kept(rules):
    story = [
        *STORIES["en"][:2],
        "More on the history of the exchange programme",
        "The first exchange was organised in 1999 with 300 students from each country.",
    ]
    assert strip_boilerplate(story, rules, None)[0] == story


def test_repeated_promo_block_goes_in_both_copies_even_mid_story(rules):
    promo = ["Harbor Daily Plus: every story, no ads, for a dollar a week", "Subscribe now"]
    title, first, second, third = STORIES["en"]
    lines = [title, first, *promo, second, third, *promo]
    kept, dropped = strip_boilerplate(lines, rules, None)
    assert kept == STORIES["en"]
    assert len(dropped) == 4
    assert {d.line for d in dropped} == {3, 4, 7, 8}
    assert REPEATED_BLOCK in {d.rule for d in dropped}


def test_repeated_story_passage_keeps_its_copy_inside_the_story(rules):
    title, first, second, third = STORIES["en"]
    lines = [title, first, second, third, "", first, second]
    kept, dropped = strip_boilerplate(lines, rules, None)
    assert kept == [title, first, second, third, ""]
    assert {d.rule for d in dropped} == {REPEATED_BLOCK}


@pytest.mark.parametrize("language", ["en", "ja", "ko", "zh"])
def test_teaser_that_repeats_the_lead_goes_and_the_lead_stays(rules, language):
    title, first, second, third = STORIES[language]
    lines = [title, first, "Share", "", first, second, third]
    kept, dropped = strip_boilerplate(lines, rules, None)
    assert [line for line in kept if line.strip()] == STORIES[language]
    assert [(d.line, d.rule) for d in dropped] == [(2, "teaser/duplicate"), (3, "share/label")]


def test_truncated_teaser_goes(rules):
    title, first, second, third = STORIES["en"]
    teaser = first[:70].rstrip() + "…"
    kept, dropped = strip_boilerplate([title, teaser, first, second, third], rules, None)
    assert kept == STORIES["en"]
    assert [d.rule for d in dropped] == ["teaser/truncated"]


def test_lines_restating_the_title_go_but_the_title_stays(rules):
    title = STORIES["en"][0]
    lines = [*STORIES["en"], f"{title} | Harbor Daily"]
    kept, dropped = strip_boilerplate(lines, rules, None)
    assert kept == STORIES["en"]
    assert [d.rule for d in dropped] == ["title/echo"]


@pytest.mark.parametrize(
    "line",
    [
        "Officials noted that a single click of a translation app is no substitute for talks.",
        "Click here, the minister said, was the phrase used in the leaked memo about the summit "
        "and its preparations in Seoul and Tokyo over several weeks of quiet talks.",
        "The ministry said it would download satellite data from the new app every hour.",
        "Advertisement spending in Japan rose 3.5 percent last year, the agency said.",
        "Lee said he would share the proposal with Takaichi before the summit.",
        "Loading of the cargo ship in Busan was delayed by the storm.",
        "Related talks in Beijing are expected next month.",
        "Copyright disputes were not on the agenda, Mr. Lee said.",
        '"Follow us on this journey," the minister told the students in Tokyo.',
        "The newspaper said its subscribers had doubled since the summit.",
        "首相は「続きは来週の会談で話したい」と述べた。",
        "정부는 온라인 광고 규제를 강화하겠다고 밝혔다.",
        "广告业协会表示，今年全国广告支出预计增长5%。",
    ],
)
def test_story_lines_mentioning_furniture_words_are_kept(rules, line):
    lines = [STORIES["en"][1], line, STORIES["en"][2]]
    kept, dropped = strip_boilerplate(lines, rules, None)
    assert kept == lines
    assert dropped == []


def test_subheadings_bylines_and_short_story_lines_are_kept(rules):
    story = [
        "Japan and South Korea agree to expand youth exchange programme",
        "By Mina Park",
        "March 4, 2025",
        STORIES["en"][1],
        "Who can apply?",
        "Anyone aged 18 to 30.",
        STORIES["en"][2],
        "Key dates",
        "April 1: applications open",
        "Sept. 1: first students arrive",
        STORIES["en"][3],
        "(Reporting by Mina Park; Editing by Tom Hale)",
    ]
    assert strip_boilerplate(story, rules, None)[0] == story


def test_html_page_goes_through_the_same_cleaner():
    html = """<html><head><title>Seoul to run subway all night | Harbor Daily</title>
    <meta property="og:title" content="Seoul to run subway all night"></head><body><article>
    <h1>Seoul to run subway all night</h1>
    <p>Seoul will run two subway lines through the night on weekends from May, the city said
    on Monday, a first for the capital's metro system.</p>
    <p>ADVERTISEMENT</p>
    <p>Officials said the change would help night-shift workers who struggle to find taxis
    after midnight, when fares rise sharply.</p>
    <p>Sign up for our Seoul Nights newsletter to get the city's best stories in your inbox.</p>
    <p>The city will review the trial after six months and may extend it to other lines.</p>
    </article></body></html>"""
    article = article_from_html(html, id="subway", input_path="subway.html")
    assert article.title == "Seoul to run subway all night"
    assert len(article.paragraphs) == 3
    assert all("ADVERTISEMENT" not in p and "newsletter" not in p for p in article.paragraphs)
    assert {d.rule for d in article.dropped_lines} >= {"ad/label", "promo/phrase"}
    for d in article.dropped_lines:
        assert d.line >= 1 and d.text


def test_html_page_with_nothing_but_furniture_is_a_clear_error():
    html = (
        "<html><body><article><p>Advertisement</p><p>Share</p>"
        "<p>Sign up for our newsletter</p></article></body></html>"
    )
    with pytest.raises(InputError, match="only boilerplate found in the page"):
        article_from_html(html, id="x", input_path="x.html")
