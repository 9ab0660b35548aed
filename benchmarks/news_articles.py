"""Synthetic English news articles whose sentences are all different, for speed comparisons.

Every sentence is filled in from templates written for this project (people, places,
figures and topics drawn with a seeded generator), so a batch has no repeated sentence
for a translation memory or a paragraph cache to skip: each one costs the model.
Lengths vary the way news copy does, from short quotes to long attributed sentences.
"""

from __future__ import annotations

import random

from l10n.models import Article

PEOPLE = [
    "Prime Minister Sanae Takaichi",
    "President Lee Jae Myung",
    "the foreign minister",
    "the finance minister",
    "the mayor",
    "the central bank governor",
    "a government spokesperson",
    "the opposition leader",
    "the trade negotiator",
    "the defense minister",
    "a senior official",
    "the harbor authority chief",
]
PLACES = [
    "Tokyo",
    "Seoul",
    "Osaka",
    "Busan",
    "Nara",
    "Incheon",
    "Kobe",
    "Daegu",
    "Sapporo",
    "Gwangju",
    "Fukuoka",
    "Ulsan",
]
GROUPS = [
    "fishing cooperatives",
    "chipmakers",
    "rail unions",
    "small exporters",
    "hospital associations",
    "regional banks",
    "shipbuilders",
    "rice farmers",
    "university students",
    "energy utilities",
]
TOPICS = [
    "the new tariff schedule",
    "the coastal wind project",
    "the revised pension plan",
    "the semiconductor subsidy",
    "the port expansion",
    "the childcare allowance",
    "the flood defense budget",
    "the visa waiver program",
    "the emissions target",
    "the housing loan scheme",
]
DAYS = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "over the weekend"]
MONTHS = ["January", "March", "April", "June", "August", "October", "November", "December"]
VERBS = ["said", "told reporters", "wrote in a statement", "said in a televised address"]

TEMPLATES = [
    "{person} {verb} {day} that {topic} would take effect in {month}.",
    "{Person} visited {place} {day} to meet leaders of {group}.",
    "Officials in {place} said {group} had asked for {topic} to be delayed by {n} months.",
    "The plan would cost about {money} over {n} years, according to {person}.",
    "{Group} in {place} welcomed {topic}, but warned that costs had risen {pct} percent.",
    "Exports from {place} fell {pct} percent in {month}, the weakest reading since {year}.",
    "{Person} is expected to travel to {place} {day} for talks on {topic}.",
    "“We will not accept {topic} in its current form,” {person} {verb}.",
    "About {big} people attended a rally in {place} {day}, organizers said.",
    "The council in {place} approved {topic} by a vote of {n} to {m}.",
    "Analysts said {topic} could lift growth by {small} percentage points next year.",
    "{Person} declined to comment on reports that {group} had met officials in {place}.",
    "Shares of {group} rose {pct} percent after {person} endorsed {topic}.",
    "Police in {place} said {n} people were injured when a crane collapsed near the harbor.",
    "The ministry said {topic} would be reviewed again in {month} {year}.",
    "In {place}, {group} said they had not been consulted before {topic} was announced, "
    "and that {n} of their members would lose income if it went ahead.",
    "{Person} met {person2} in {place} {day}, the first such meeting since {year}, "
    "and the two sides agreed to set up a working group on {topic}.",
    "A survey of {big} households found that {pct} percent supported {topic}, "
    "while {pct2} percent opposed it and the rest were undecided.",
    "Talks on {topic} will resume in {place} in {month}.",
    "Rain is expected across {place} {day}, with up to {n} millimeters in some areas.",
    "The price of rice in {place} has risen {pct} percent since {month}.",
    "{Group} plan to strike for {n} days from {month} {m}.",
]


def _fill(template: str, rng: random.Random) -> str:
    person, person2 = rng.sample(PEOPLE, 2)
    group = rng.choice(GROUPS)
    values = {
        "person": person,
        "Person": person[0].upper() + person[1:],
        "person2": person2,
        "place": rng.choice(PLACES),
        "group": group,
        "Group": group[0].upper() + group[1:],
        "topic": rng.choice(TOPICS),
        "day": rng.choice(DAYS),
        "month": rng.choice(MONTHS),
        "verb": rng.choice(VERBS),
        "n": rng.randint(2, 40),
        "m": rng.randint(1, 28),
        "pct": f"{rng.randint(1, 60)}.{rng.randint(0, 9)}",
        "pct2": rng.randint(5, 40),
        "small": f"0.{rng.randint(1, 9)}",
        "big": f"{rng.randint(1, 99)},{rng.randint(0, 999):03d}",
        "money": f"{rng.randint(2, 900)} billion yen",
        "year": rng.randint(1998, 2023),
    }
    return template.format(**values)


class UniqueSentences:
    """Sentences from the templates, none of them repeated within one generator."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = random.Random(seed)
        self.seen: set[str] = set()

    def next(self) -> str:
        while True:
            sentence = _fill(self.rng.choice(TEMPLATES), self.rng)
            if sentence not in self.seen:
                self.seen.add(sentence)
                return sentence


def news_articles(count: int, seed: int = 0) -> list[Article]:
    """``count`` articles of a headline and 4-7 paragraphs of 1-4 sentences each."""
    sentences = UniqueSentences(seed)
    rng = sentences.rng
    articles = []
    for number in range(count):
        headline = sentences.next().rstrip(".")
        paragraphs = [
            " ".join(sentences.next() for _ in range(rng.randint(1, 4)))
            for _ in range(rng.randint(4, 7))
        ]
        articles.append(
            Article(
                id=f"harbor-daily-{number:04d}",
                title=headline,
                paragraphs=paragraphs,
                input_path=f"synthetic/harbor-daily-{number:04d}.txt",
                site="harbor-daily.example",
            )
        )
    return articles
