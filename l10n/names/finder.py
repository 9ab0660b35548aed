"""Finding the names in a source article: people, places and organisations.

English: runs of capitalised words, cut at punctuation and at the glossary's names, with
the titles in front (President, Foreign Minister, Mr) telling a person. A lone capitalised
word at a sentence start counts only where the article also writes it capitalised
mid-sentence; headlines (capitals say nothing there) only repeat names the body has.
A bare word that is the first or last part of exactly one longer name in the article is
that name's short form (Cho after Cho Hyun); when two names share it (Kim Min-seok, Kim
Jung-kwan) it stands for neither and is left out.

Korean and Japanese sources: the word right before a title or honorific (조현 장관,
岩屋外相, チョ氏) is a name; so are the glossary's people written as the glossary writes them
in that language (高市早苗, 이시바 시게루), and in Japanese katakana words joined by ・
(ジェイク・サリバン, and a bare サリバン when one such name has it). Without a title: a name
the article titles elsewhere (조현 장관 … 조현은; 岩屋外相 … 岩屋は), a Japanese surname
that starts exactly one titled full name (岩屋 after 岩屋毅外相), and a three-syllable
Korean name the article writes at least twice. Countries and common words before a title
(한국 대통령, 韓国外相) are not names. Nothing else is guessed.

The glossary's own names are found by the glossary (:meth:`Glossary.mentions`) and carry
their entry id.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from l10n.glossary import ArticleNames, Glossary
from l10n.glossary.korean_particles import ends_word_with_particles
from l10n.glossary.persons import FUNCTION_WORDS, TITLES, is_headline
from l10n.names.romanize import HANGUL_SURNAMES, romanize, source_keys

MAX_TEXT = 5000
"""Longer segments (a paragraph that never ends) are left out of the names pass."""
PERSON, PLACE, ORGANIZATION, NAME = "person", "place", "organization", "name"

ORG_WORDS = frozenset(
    """
    ministry party agency bank university corporation corp company co inc ltd group
    council committee commission office association union institute court assembly
    parliament congress senate department bureau service forces army navy police
    foundation federation league club times post news press daily herald journal
    electronics motor motors holdings airlines airline energy steel chemical securities
    telecom shipbuilding industries semiconductor financial insurance hynix mobility
    """.split()  # noqa: SIM905
)
NOT_NAMES = frozenset(
    """
    i the a an monday tuesday wednesday thursday friday saturday sunday january february
    march april may june july august september october november december reuters ap afp
    yonhap kyodo english korean japanese chinese american european asian north south east
    west he she it they we you his her its their our this that these those there here
    covid
    """.split()  # noqa: SIM905
)
PERSON_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame"})
KO_TITLES = ("대통령", "장관", "총리", "의원", "대변인", "위원장", "대표", "차관", "씨",
             "시장", "지사", "외무상", "외상", "총재", "회장", "사장", "대사",
             "국무장관", "부장관", "부총리", "차관보", "실장", "비서관")  # fmt: skip
JA_TITLES: tuple[str, ...] = ("大統領", "首相", "外相", "外務大臣", "大臣", "長官", "議員",
             "報道官", "委員長",
             "代表", "知事", "市長", "氏", "さん", "総理", "官房長官", "次官", "大使", "社長",
             "会長", "国務長官", "外交部長官", "相", "様", "国家主席", "主席", "副大統領",
             "首席", "議長", "党首", "幹事長", "政調会長", "官房副長官")  # fmt: skip
_MINISTRIES = ("産業", "経済", "経産", "財務", "防衛", "国防", "法務", "外務", "国土交通",
               "文部科学", "厚生労働", "農林水産", "環境", "総務", "通商", "統一", "企画財政",
               "行政安全", "国土", "文化", "保健福祉", "雇用労働", "女性家族",
               "科学技術")  # fmt: skip
JA_TITLES = JA_TITLES + tuple(m + t for m in _MINISTRIES for t in ("相", "大臣", "長官"))

KO_INSTITUTIONS = ("부", "처", "청", "원", "당", "국", "성", "실")
KO_FORMER = frozenset({"전", "현", "신", "고", "前", "故"})
"""A word between a name and its title that is neither (이시바 시게루 전 총리: former)."""
_CAPITALISED = re.compile(r"[A-Z][A-Za-z'’\-]*\.?|\b(?:of|for)\b")
"""Capitalised words, and the ``of``/``for`` that may join them (Bank of Korea)."""
_SENTENCE_END = re.compile(r"[.!?:;\"“”]\s*$")
_JA_NAME = re.compile(r"[\u3400-\u9fff\u3005\u30a0-\u30ff・]+")
_KO_PARTICLE_ENDS = frozenset("의은는이가을를에와과도로")
_KO_WORD = re.compile(r"[\uac00-\ud7a3]+")


@dataclass(frozen=True)
class NameMention:
    """One mention of a name in a source segment.

    ``key`` is the name it stands for (a short form's full name); ``surface`` what the
    segment writes; ``form`` the form whose renderings are compared (the full name, or the
    short form); ``keys`` how the form sounds (see :func:`~l10n.names.romanize.skeleton`).
    """

    segment: int
    start: int
    end: int
    surface: str
    key: str
    form: str
    type: str
    keys: tuple[str, ...]
    glossary: str | None = None
    title: str = ""

    @property
    def short(self) -> bool:
        return self.form != self.key


@dataclass
class _Run:
    segment: int
    start: int
    end: int
    words: list[str]
    title: str = ""
    sentence_start: bool = False
    org: bool = False


@dataclass
class SourceNames:
    """The names of one article: per segment index, its mentions in order."""

    mentions: dict[int, list[NameMention]] = field(default_factory=dict)

    def all(self) -> list[NameMention]:
        return [m for items in self.mentions.values() for m in items]


def _starts_sentence(text: str, index: int) -> bool:
    return index == 0 or bool(_SENTENCE_END.search(text[max(0, index - 4) : index]))


def _runs(segment: int, text: str, covered: list[tuple[int, int]]) -> list[_Run]:
    """Runs of capitalised words, each with the title words before it stripped."""
    runs: list[_Run] = []
    current: _Run | None = None
    last_end = -1
    for match in _CAPITALISED.finditer(text):
        word = match.group(0)
        if current is None and not word[0].isupper():
            continue
        start, end = match.span()
        inside = bool(covered) and any(a < end and start < b for a, b in covered)
        gap = text[last_end:start] if current else ""
        joined = current is not None and gap in (" ", "-") and not current.words[-1].endswith(".")
        if (
            current is not None
            and word in ("of", "for")
            and gap == " "
            and current.words[-1].lower() in ORG_WORDS
        ):
            current.words.append(word)
            last_end = end
            continue
        if current is not None and current.words[-1] in ("of", "for") and gap != " ":
            current.words.pop()
        if not word[0].isupper() or inside:
            if current is not None and current.words[-1] in ("of", "for"):
                current.words.pop()
            current = None
            last_end = end
            continue
        bare = word.rstrip(".").replace("’", "'")
        possessive = bare.endswith("'s")
        if possessive:
            bare = bare[:-2]
        if (
            joined
            and current is not None
            and (bare.lower() in NOT_NAMES or bare.lower() in TITLES)
            and current.words[-1] not in ("of", "for")
        ):
            current = None
        if not joined or current is None:
            current = _Run(segment, start, start, [], sentence_start=_starts_sentence(text, start))
            runs.append(current)
        current.words.append(bare)
        current.end = start + len(bare)
        last_end = end
        if possessive or (word.endswith(".") and len(bare) > 2):
            current = None
    if current is not None and current.words[-1] in ("of", "for"):
        current.words.pop()
    out: list[_Run] = []
    for run in runs:
        title: list[str] = []
        while run.words and (
            run.words[0].lower() in TITLES
            or run.words[0].lower() in FUNCTION_WORDS
            or run.words[0].lower() in NOT_NAMES
        ):
            word = run.words.pop(0)
            if word.lower() in TITLES:
                title.append(word)
            run.start = text.index(run.words[0], run.start) if run.words else run.end
            run.sentence_start = False
        if not run.words:
            continue
        run.title = " ".join(title) or _title_before(text, run.start)
        run.org = any(w.lower() in ORG_WORDS for w in run.words)
        out.append(run)
    return out


def _title_before(text: str, start: int) -> str:
    words = text[max(0, start - 30) : start].split()
    if words and words[-1].rstrip(".").lower() in TITLES:
        return words[-1]
    return ""


def _before_title(text: str, end: int) -> bool:
    """``Industry`` in ``Industry Minister Kim``: a word that belongs to the title after it."""
    words = text[end : end + 30].split()
    return bool(words) and words[0][:1].isupper() and words[0].rstrip(".,").lower() in TITLES


def _type(run: _Run) -> str:
    if run.org:
        return ORGANIZATION
    if run.title or len(run.words) > 1:
        return PERSON
    return NAME


def find_english(
    texts: Sequence[tuple[int, str]],
    glossary: Glossary | None = None,
    names: ArticleNames | None = None,
) -> SourceNames:
    """The names of an English article; ``texts`` are its (segment index, text), title first.

    ``names``: the glossary's :meth:`~Glossary.article_names` of the article, when the
    caller has it already (the glossary's scans are then reused, not redone).
    """
    out = SourceNames()
    glossary_spans: dict[int, list[tuple[int, int, str, str]]] = defaultdict(list)
    headlines: set[int] = set()
    runs: list[_Run] = []
    texts = [(index, text) for index, text in texts if len(text) <= MAX_TEXT]
    if glossary is not None and names is None:
        names = glossary.article_names([t for _, t in texts])
    for index, text in texts:
        covered: list[tuple[int, int]] = []
        if glossary is not None:
            for mention in glossary.mentions(text, names):
                glossary_spans[index].append(
                    (mention.start, mention.end, mention.surface, mention.entry_id)
                )
                covered.append((mention.start, mention.end))
        if (index == texts[0][0] or text.isupper()) and is_headline(text):  # title, capitals
            headlines.add(index)
            continue
        if covered:  # the glossary's names split runs and are not found again
            pieces, last = [], 0
            for a, b in sorted(covered):
                pieces += [text[last:a], "\x00" * (b - max(a, last))]
                last = max(last, b)
            text = "".join([*pieces, text[last:]])
        runs.extend(_runs(index, text, []))
    mid_words = {r.words[0] for r in runs if not r.sentence_start}
    full: dict[str, _Run] = {}
    for run in runs:
        if len(run.words) > 1 and not run.org:
            full.setdefault(" ".join(run.words), run)
    parts: dict[str, set[str]] = defaultdict(set)
    for name in full:
        words = name.split()
        parts[words[0]].add(name)
        parts[words[-1]].add(name)
    if glossary is not None:  # Kim Jong Un makes a bare Kim ambiguous beside Kim Min-seok
        for spans in glossary_spans.values():
            for _, _, surface, entry_id in spans:
                words = surface.split()
                if len(words) > 1 and glossary.by_id[entry_id].type == "person":
                    parts[words[0]].add(surface)
                    parts[words[-1]].add(surface)
    titles: dict[str, str] = {}
    for run in runs:
        if run.title:
            titles.setdefault(" ".join(run.words), run.title)
    texts_by_index = dict(texts)
    for run in runs:
        surface = " ".join(run.words)
        if len(run.words) == 1:
            owners = parts.get(surface, set())
            if run.sentence_start and surface not in mid_words and not run.title and not owners:
                continue
            if not owners and _before_title(texts_by_index[run.segment], run.end):
                continue
            if len(owners) > 1:
                continue
            key = next(iter(owners)) if owners else surface
        else:
            key = surface
        kind = _type(run) if key == surface else PERSON
        if key != surface and full[key].org:
            kind = ORGANIZATION
        _add(out, run.segment, run.start, run.end, surface, key, kind, run.title)
    for index, text in texts:
        if index in headlines:
            # A headline's capitals say nothing: only names the body has are found in it, and
            # a part (Xi, Myung) only where it is not inside a whole name already found.
            taken = [(a, b) for a, b, _, _ in glossary_spans.get(index, [])]
            for name in sorted(full, key=len, reverse=True):
                for match in re.finditer(rf"\b{re.escape(name)}\b", text):
                    if _overlaps(match.start(), match.end(), taken):
                        continue
                    taken.append((match.start(), match.end()))
                    _add(out, index, match.start(), match.end(), name, name, PERSON, "")
            for part, owners in parts.items():
                if len(owners) != 1 or part.lower() in NOT_NAMES:
                    continue
                for match in re.finditer(rf"\b{re.escape(part)}\b", text):
                    if _overlaps(match.start(), match.end(), taken):
                        continue
                    key = next(iter(owners))
                    _add(out, index, match.start(), match.end(), part, key, PERSON, "")
        for start, end, surface, entry_id in glossary_spans.get(index, []):
            assert glossary is not None
            entry = glossary.by_id[entry_id]
            parent = entry.short_form_of[0] if entry.short_form_of else entry.id
            key = glossary.by_id[parent].source
            _add(out, index, start, end, surface, key, entry.type, "", glossary=entry_id)
    for items in out.mentions.values():
        items.sort(key=lambda m: m.start)
    return out


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in spans)


def _add(
    out: SourceNames,
    segment: int,
    start: int,
    end: int,
    surface: str,
    key: str,
    kind: str,
    title: str,
    *,
    glossary: str | None = None,
    keys: tuple[str, ...] | None = None,
) -> None:
    items = out.mentions.setdefault(segment, [])  # kept sorted and without overlaps
    at = bisect_left(items, start, key=lambda m: m.start)
    if (at > 0 and items[at - 1].end > start) or (at < len(items) and items[at].start < end):
        return
    form = surface if surface != key else key
    if keys is None:
        keys = source_keys(form, korean=True)
    mention = NameMention(segment, start, end, surface, key, form, kind, keys, glossary, title)
    items.insert(at, mention)


MIN_CJK_GLOSSARY = 3
"""Shortest glossary form looked for in a Korean or Japanese source (高市早苗, 이시바 시게루;
not 東京 or 高市, which occur inside longer words)."""
_KANA = "[\u30a1-\u30fa\u30fc]{2,}"
_KATAKANA_NAME = re.compile(rf"(?<![\u30a0-\u30ff]){_KANA}・{_KANA}(?![\u30a0-\u30ff])")
"""A Japanese rendering of a foreign full name: two katakana words joined by ・ (ジェイク・サリバン;
not ワーク・ライフ・バランス)."""
_KATAKANA_WORD = re.compile(rf"(?<![\u30a0-\u30ff]){_KANA}(?![\u30a0-\u30ff])")


def _glossary_forms(glossary: Glossary | None, lang: str) -> list[tuple[str, str, str]]:
    """(form, entry id, English source) of the glossary's people in ``lang``, longest first."""
    if glossary is None:
        return []
    forms = []
    for entry in glossary.entries:
        if entry.type != PERSON or entry.short_form_of:
            continue
        for form in (entry.targets.get(lang), *entry.variants.get(lang, [])):
            if form and len(form) >= MIN_CJK_GLOSSARY:
                forms.append((form, entry.id, entry.source))
    return sorted(forms, key=lambda f: -len(f[0]))


def _find_glossary_cjk(
    out: SourceNames, index: int, text: str, forms: list[tuple[str, str, str]], lang: str
) -> None:
    for form, entry_id, source in forms:
        start = text.find(form)
        while start != -1:
            end = start + len(form)
            before = text[start - 1] if start else " "
            if not (lang == "ko" and _KO_WORD.match(before)):
                keys = source_keys(source, korean=True)
                _add(out, index, start, end, form, form, PERSON, "", glossary=entry_id, keys=keys)
            start = text.find(form, end)


def _find_katakana(out: SourceNames, texts: Sequence[tuple[int, str]]) -> None:
    """Katakana full names (ジェイク・サリバン) anywhere, and a bare part of exactly one of
    them (サリバン) as its short form."""
    owners: dict[str, set[str]] = defaultdict(set)
    found = [(index, m) for index, text in texts for m in _KATAKANA_NAME.finditer(text)]
    for _, match in found:
        for part in match.group(0).split("・"):
            owners[part].add(match.group(0))
    for index, match in found:
        name = match.group(0)
        keys = source_keys(romanize(name), korean=False)
        _add(out, index, match.start(), match.end(), name, name, PERSON, "", keys=keys)
    if not found:
        return
    for index, text in texts:
        for match in _KATAKANA_WORD.finditer(text):
            names = owners.get(match.group(0), set())
            if len(names) == 1:
                part = match.group(0)
                keys = source_keys(romanize(part), korean=False)
                key = next(iter(names))
                _add(out, index, match.start(), match.end(), part, key, PERSON, "", keys=keys)


KO_NOT_NAMES = frozenset(
    """
    한국 미국 중국 일본 영국 북한 남한 대만 러시아 정부 이번 이날 전날 오늘 양국 한편 정상
    문제 주요 이후 이상 안보 남북 성명 조치 유엔 하원 한반도 한미일 남북한 민주당 안보리
    정치권 이집트 이라크 이스라엘 이란 이탈리아 오스트리아 우크라이나 유럽 유럽연합 서울
    부산 인천 전주 안산 김포 김해 고양 성남 하남 오산 이천 한강 백악관 청와대 국민의힘
    정상회담 이사회 조사단 고위급 전문가 정치가 노동자 이용자 신청자 한국인 미국인 하지만
    주한미군 한일 한중 한미 북미 조선 조선중앙통신 전체 전국 전반 전쟁 전략 정책 정치
    정보 정당 한국은행 주식 주가 유가 성장 성과 배경 차원 차례 나라 우리 민간 송환 양측
    월요일 화요일 수요일 목요일 금요일 토요일 일요일 업계 재계 학계 관계 여당 야당
    """.split()  # noqa: SIM905
)
"""Common words and places of a Korean name's shape (a family-name syllable first): never a
name, with or without a title before them (한국 대통령, 정부 대변인)."""
KO_NOT_NAME_ENDS = frozenset("가자인국당부처청원성실시군구도단회사권계측층장들님")
"""Last syllables of institutions, places, professions and groups (민주당, 전문가,
고양시): a bare span ending so is not taken for a name without a title."""
JA_NOT_NAMES = frozenset(
    """
    日本 韓国 中国 米国 英国 北朝鮮 台湾 日韓 日米 米韓 日中 米中 韓米 両国 同国 各国 政府
    与党 野党 次期 歴代 女性 男性 現職 新任 前任 後任 当時 今回 首脳 事務 国務 外国 自国
    地元 東京 欧州 副 政権 内閣 臨時 初代 歴史 女性初 代理 現在 今後 同日
    """.split()  # noqa: SIM905
)
"""Common words and places written before a title (韓国外相, 次期首相): never a name."""
JA_NOT_NAME_ENDS = frozenset("国省庁党府県州軍局団界期性任時回院会区都")
"""Last characters of places, institutions and common nouns (北朝鮮国, 外務省, 次期)."""
_JA_FORMER = ("前", "元", "現", "新", "故")
_KANJI_NAME = re.compile(r"[\u3400-\u9fff\u3005]+")
MIN_UNTITLED = 2
"""A name found without its title has at least two characters (syllables): one-character
spans (林, 조) are too often something else (조 원: trillion won)."""


def _korean_name_like(name: str, titled: bool) -> bool:
    """Whether a hangul span may be a name: not a common word or place; untitled, also of
    a Korean name's shape (a family name and a two-syllable given name, ending in neither
    a particle nor an institution's or group's last syllable)."""
    if any(word in KO_NOT_NAMES for word in (name, name.replace(" ", ""), *name.split())):
        return False
    if titled:
        return True
    return (
        len(name) == 3
        and _KO_WORD.fullmatch(name) is not None
        and name[0] in HANGUL_SURNAMES
        and name[-1] not in KO_NOT_NAME_ENDS
        and not ends_word_with_particles(name, 2)  # 이지은: 이지 + 은 is as likely
    )


def _find_korean_untitled(out: SourceNames, texts: Sequence[tuple[int, str]]) -> None:
    """Korean names written without their title (see :func:`find_cjk`)."""
    titled = {
        m.surface
        for m in out.all()
        if m.title and m.glossary is None and len(m.surface.replace(" ", "")) >= MIN_UNTITLED
    }
    words = [(index, text, list(_KO_WORD.finditer(text))) for index, text in texts]
    seen: dict[str, list[tuple[int, int]]] = defaultdict(list)
    glued: set[str] = set()
    for index, text, matches in words:
        for match in matches:
            word = match.group(0)
            for inner in range(1, len(word) - 2):
                glued.add(word[inner : inner + 3])  # 대한민국: 한민국 is inside a word
            if len(word) < 3 or word[0] not in HANGUL_SURNAMES:
                continue
            if ends_word_with_particles(text, match.start() + 3):
                seen[word[:3]].append((index, match.start()))
            else:
                glued.add(word[:3])  # 한반도평화: part of a longer word
    bare = {
        name
        for name, places in seen.items()
        if len(places) >= 2 and name not in glued and name not in titled
        and _korean_name_like(name, titled=False)
    }  # fmt: skip
    for index, text, matches in words:
        for match in matches:
            for name in sorted(titled, key=len, reverse=True):
                end = match.start() + len(name)
                if text.startswith(name, match.start()) and ends_word_with_particles(text, end):
                    keys = source_keys(romanize(name), korean=False)
                    _add(out, index, match.start(), end, name, name, PERSON, "", keys=keys)
                    break
            name = match.group(0)[:3]
            if name in bare and (index, match.start()) in seen[name]:
                keys = source_keys(romanize(name), korean=False)
                end = match.start() + 3
                _add(out, index, match.start(), end, name, name, PERSON, "", keys=keys)


def _japanese_name_like(name: str) -> bool:
    return (
        len(name) >= MIN_UNTITLED and name not in JA_NOT_NAMES and name[-1] not in JA_NOT_NAME_ENDS
    )


def _find_japanese_titled(out: SourceNames, texts: Sequence[tuple[int, str]]) -> None:
    """Names before a title or honorific (岩屋毅外相, 岩屋氏, チョ氏); a kanji name is also a
    name where it stands alone (岩屋は), and a kanji name that starts exactly one longer
    titled one (岩屋 in 岩屋毅) is that name's short form; one that starts two is left out."""
    titled: list[tuple[int, int, str, str]] = []
    for index, text in texts:
        for match in _JA_NAME.finditer(text):
            run = match.group(0)
            for title in sorted(JA_TITLES, key=len, reverse=True):
                if run.endswith(title) and len(run) > len(title) + 1:
                    name = run[: -len(title)]
                    if name.endswith(_JA_FORMER) and len(name) > MIN_UNTITLED:
                        name = name[:-1]  # 石破前首相: the former prime minister
                    kanji = _KANJI_NAME.fullmatch(name) is not None
                    if not kanji or _japanese_name_like(name):
                        titled.append((index, match.start(), name, title))
                    break
    kanji_names = {name for _, _, name, _ in titled if _KANJI_NAME.fullmatch(name)}
    owners = {
        name: {full for full in kanji_names if len(full) > len(name) and full.startswith(name)}
        for name in kanji_names
    }

    def key_of(name: str) -> str | None:
        """The name a kanji span stands for (None: two names share it, or none has it)."""
        if name in owners:
            full = owners[name]
            if len(full) > 1:
                return None
            return next(iter(full)) if full else name
        prefixed = {full for full in kanji_names if full.startswith(name) and len(full) > len(name)}
        if len(prefixed) == 1 and _japanese_name_like(name):
            return next(iter(prefixed))
        return None

    for index, start, name, title in titled:
        key = key_of(name) if name in kanji_names else name
        if key is None:
            continue
        keys = source_keys(romanize(name), korean=False)
        _add(out, index, start, start + len(name), name, key, PERSON, title, keys=keys)
    if not kanji_names:
        return
    for index, text in texts:
        for match in _JA_NAME.finditer(text):
            name = match.group(0)
            if len(name) < MIN_UNTITLED or not _KANJI_NAME.fullmatch(name):
                continue
            key = key_of(name)
            if key is not None:
                keys = source_keys(romanize(name), korean=False)
                _add(out, index, match.start(), match.end(), name, key, PERSON, "", keys=keys)


def find_cjk(
    texts: Sequence[tuple[int, str]], lang: str, glossary: Glossary | None = None
) -> SourceNames:
    """Names in a Korean or Japanese article: the glossary's people written as the glossary
    writes them in that language, Japanese katakana full names (and a bare part of one of
    them), and the word before a title or honorific.

    Without a title: a name the article titles elsewhere (조현 장관 … 조현은; 岩屋外相 …
    岩屋は), a Japanese surname that starts exactly one titled full name (岩屋 after
    岩屋毅外相), and a Korean family name and given name of three syllables that the article
    writes at least twice, each time as a word of its own (배지훈은 … 배지훈도), and is not a
    common word or place (:data:`KO_NOT_NAMES`, :data:`KO_NOT_NAME_ENDS`)."""
    out = SourceNames()
    forms = _glossary_forms(glossary, lang)
    texts = [(i, t) for i, t in texts if len(t) <= MAX_TEXT]
    if lang == "ja":
        _find_katakana(out, texts)
    for index, text in texts:
        _find_glossary_cjk(out, index, text, forms, lang)
        if lang == "ko":
            words = list(_KO_WORD.finditer(text))
            for position, match in enumerate(words):
                title = next((t for t in KO_TITLES if match.group(0).startswith(t)), "")
                if not title:
                    continue
                picked: list[re.Match[str]] = []
                anchor = match
                for before in reversed(words[max(0, position - 3) : position]):
                    word = before.group(0)
                    if not picked and (
                        (len(word) >= 3 and word.endswith(KO_INSTITUTIONS)) or word in KO_FORMER
                    ):
                        anchor = before
                        continue
                    if len(word) > 4 or word[-1] in _KO_PARTICLE_ENDS:
                        break
                    gap = text[before.end() : (picked[0] if picked else anchor).start()]
                    if gap != " " or (picked and (len(word) < 3 or len(picked[0].group(0)) < 2)):
                        break
                    picked.insert(0, before)
                    if len(picked) == 2:
                        break
                if not picked:
                    continue
                a, b = picked[0].start(), picked[-1].end()
                name = text[a:b]
                if not _korean_name_like(name, titled=True):
                    continue  # 한국 대통령, 정부 대변인: a country or an institution
                keys = source_keys(romanize(name), korean=False)
                _add(out, index, a, b, name, name, PERSON, title, keys=keys)
    if lang == "ko":
        _find_korean_untitled(out, texts)
    elif lang == "ja":
        _find_japanese_titled(out, texts)
    return out
