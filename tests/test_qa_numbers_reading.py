"""QA reads numbers from the pieces that touch a digit only: the same numbers as reading
every token of the text, which is what ``reference`` below does (the reading before it was
made faster)."""

import random
import re

import pytest

from l10n.correct import qa


def reference(text: str, decimal_comma: bool, kanji: bool) -> list[tuple[str, set[float]]]:
    tokens = list(qa._NUMBER_TOKEN_RE.finditer(text))
    found = []
    i = 0
    while i < len(tokens):
        first = tokens[i]
        kind = first.lastgroup
        if kind not in ("num", "kd") or (kind == "kd" and not kanji):
            i += 1
            continue
        group: list[re.Match[str]] = [first]
        j = i + 1
        while j < len(tokens) and tokens[j].start() == group[-1].end():
            nxt = tokens[j]
            after = tokens[j + 1] if j + 1 < len(tokens) else None
            if not qa._may_follow(group[-1], nxt, after, kanji):
                break
            group.append(nxt)
            j += 1
        while group and group[-1].lastgroup == "sp":
            group.pop()
        span = text[group[0].start() : group[-1].end()]
        found.append((span.strip(), qa._evaluate(group, decimal_comma)))
        i = j
    return found


TEXTS = [
    "The port handled 1,250 ships and 3.5 billion tonnes in 2024, up 12%.",
    "Prices rose 1.234,5 euros; 5m people, 3 bn dollars, 20k fans, from 7 to 9.",
    "予算は1億2000万円で、三百五十人が参加した。",
    "예산은 1만 2천 원, 3천명, 3백화점, 5억 원이다.",
    "一二三 and 四十 and 十五 and 二千三百万",
    "1 2 3  4 thousand 5 million 6 Thousand",
    "1,5 1.5 1,500 1.500.000 12,34,56 0.5.",
    "no numbers at all here",
    "",
    "９９ ＡＢＣ",
    "1만  2천 and 1만 x and 1억 2",
]


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
@pytest.mark.parametrize("decimal_comma", [False, True])
@pytest.mark.parametrize("kanji", [False, True])
def test_numbers_read_as_from_every_token(text, decimal_comma, kanji):
    got = qa._number_expressions(text, decimal_comma, kanji)
    assert [(span, set(values)) for span, values in got] == reference(text, decimal_comma, kanji)


def test_random_mixtures_of_number_pieces_read_the_same():
    pieces = [
        "1",
        "23",
        "4.5",
        "6,789",
        "1.2.3",
        " ",
        "  ",
        "万",
        "億",
        "千",
        "百",
        "十",
        "만",
        "천",
        "억",
        "조",
        "一",
        "二三",
        "〇",
    ]
    pieces += [
        " thousand",
        " million",
        "bn",
        "k",
        "m",
        "명",
        "원",
        "x",
        "from",
        "-",
        ".",
        ",",
        "の",
        "화",
        "%",
    ]
    rng = random.Random(22)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 14))) for _ in range(3000)]
    numbers = 0
    for text in texts:
        for decimal_comma in (False, True):
            for kanji in (False, True):
                got = qa._number_expressions(text, decimal_comma, kanji)
                assert [(s, set(v)) for s, v in got] == reference(text, decimal_comma, kanji), text
                numbers += len(got)
    assert numbers > 5000  # the mixtures do hold numbers of every shape
