"""langdetect's detection, replayed exactly and faster.

langdetect (1.0.9) spends most of its time in Python loops over characters and over its 55
languages: each character is normalised through a binary search of Unicode blocks, each
n-gram is found again in every text, and each of the hundreds of random draws per text
multiplies the 55 probabilities one by one. :func:`probabilities` computes the same thing
with the same arithmetic in the same order, so its answer is identical to the bit:

- the text is cleaned as ``Detector.append`` and ``cleaning_text`` clean it (URLs and mail
  addresses out, Vietnamese normalised, cut at 10,000 characters, runs of spaces collapsed,
  Latin letters dropped from a mostly non-Latin text);
- characters are normalised by ``NGram.normalize`` once each per process (a cache);
- a word's n-grams depend on the word alone (the n-gram buffer starts again after every
  space), so they are extracted once per word (a bounded cache) and concatenated in text
  order: the same list langdetect samples from;
- the trials draw from a ``random.Random`` seeded as langdetect seeds it, in the same
  order, and update the 55 probabilities with NumPy: the element-wise products by
  ``(weight + p)`` are the same IEEE operations, in the same order, as langdetect's
  ``prob[i] *= weight + p``, and the normalising sum is Python's own ``sum`` over the same
  values in the same order.

``tests/test_ngramdetect.py`` checks the probabilities against langdetect's own
``Detector`` on texts in many languages and shapes.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from langdetect.detector_factory import DetectorFactory

MAX_TEXT_LENGTH = 10_000
"""Characters langdetect reads (``Detector.max_text_length``)."""
N_TRIAL = 7
ALPHA = 0.5
ALPHA_WIDTH = 0.05
ITERATION_LIMIT = 1000
CONV_THRESHOLD = 0.99999
BASE_FREQ = 10_000
PROB_THRESHOLD = 0.1
"""langdetect's ``Detector`` constants (1.0.9)."""

CACHE_LIMIT = 20_000
"""Entries a cache holds before it starts again (words, n-gram vectors): about 10 MB at most
each; 470 lines of news in four languages filled 3,300 vectors and 2,700 words (2.4 MB)."""

_SPACES = re.compile(" {2,}")
_ASCII_LETTERS_AND_BETWEEN = re.compile("[A-z]")
"""``'A' <= ch <= 'z'``, the range langdetect counts as Latin (with ``[\\]^_```)."""

_normal: dict[str, str] = {}
_non_latin: dict[str, bool] = {}
_word_ngrams: dict[str, list[str]] = {}
_vectors: dict[str, np.ndarray] = {}


class WordProbs(Protocol):
    def __contains__(self, word: object) -> bool: ...

    def __getitem__(self, word: str) -> list[float]: ...


class Factory(Protocol):
    """What :func:`probabilities` reads of a ``DetectorFactory``."""

    word_lang_prob_map: WordProbs
    langlist: list[str]
    seed: int | None


class LazyWordProbs:
    """langdetect's ``word_lang_prob_map``, each word's row computed when first asked for.

    ``DetectorFactory.load_json_profile`` builds a row of 55 probabilities for each of the
    profiles' ~170,000 n-grams up front (about 0.4 s of CPU, most of a one-article run's
    detection); a run reads only the n-grams of its own text. A row here is the same list
    ``add_profile`` makes: ``1.0 * freq / n_words[len - 1]`` for each profile holding the
    word (lengths 1 to 3), 0.0 elsewhere (``tests/test_ngramdetect.py`` compares every row).
    """

    def __init__(self, profiles: Sequence[tuple[dict[str, int], list[int]]]) -> None:
        self._profiles = profiles
        self._rows: dict[str, list[float] | None] = {}

    def _row(self, word: str) -> list[float] | None:
        try:
            return self._rows[word]
        except KeyError:
            pass
        row: list[float] | None = None
        length = len(word)
        for index, (freq, n_words) in enumerate(self._profiles):
            if word in freq:
                if row is None:
                    row = [0.0] * len(self._profiles)
                if 1 <= length <= 3:
                    row[index] = 1.0 * freq[word] / n_words[length - 1]
        self._rows[word] = row
        return row

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._row(word) is not None

    def __getitem__(self, word: str) -> list[float]:
        row = self._row(word)
        if row is None:
            raise KeyError(word)
        return row


class Profiles:
    """langdetect's profiles as :func:`probabilities` reads them: the languages in the order
    a ``DetectorFactory`` loaded from the same files has them, and its seed."""

    def __init__(self, folder: Path, seed: int | None) -> None:
        profiles = []
        self.langlist: list[str] = []
        for path in sorted(folder.iterdir()):  # the order DetectorFactory is loaded in
            if path.is_file():
                data = json.loads(path.read_text(encoding="utf-8"))
                self.langlist.append(data["name"])
                profiles.append((data["freq"], data["n_words"]))
        self.word_lang_prob_map: WordProbs = LazyWordProbs(profiles)
        self.seed = seed


def probabilities(factory: Factory | DetectorFactory, text: str) -> list[tuple[str, float]] | None:
    """Languages above langdetect's threshold, most probable first, as
    ``factory.create().append(text); get_probabilities()`` gives them; None when the text
    has no n-gram langdetect knows (where langdetect raises ``CantDetectError``)."""
    ngrams = _ngrams(_clean(text), factory.word_lang_prob_map)
    if not ngrams:
        return None
    langprob = _trials(factory, ngrams)
    found = [(lang, p) for lang, p in zip(factory.langlist, langprob, strict=True)]
    found = [(lang, p) for lang, p in found if p > PROB_THRESHOLD]
    # langdetect sorts Language objects (compared by probability) with reverse=True
    found.sort(key=lambda item: item[1], reverse=True)
    return found


def _clean(text: str) -> str:
    from langdetect.detector import Detector
    from langdetect.utils.ngram import NGram

    text = Detector.URL_RE.sub(" ", text)
    text = Detector.MAIL_RE.sub(" ", text)
    text = NGram.normalize_vi(text)
    text = _SPACES.sub(" ", text[:MAX_TEXT_LENGTH])
    latin = non_latin = 0
    for ch, count in Counter(text).items():
        if "A" <= ch <= "z":
            latin += count
        elif _is_non_latin(ch):
            non_latin += count
    if latin * 2 < non_latin:
        text = _ASCII_LETTERS_AND_BETWEEN.sub("", text)
    return text


def _is_non_latin(ch: str) -> bool:
    known = _non_latin.get(ch)
    if known is None:
        from langdetect.utils.unicode_block import unicode_block

        known = ch >= "\u0300" and unicode_block(ch) != "Latin Extended Additional"
        _non_latin[ch] = known
    return known


def _normalise(text: str) -> str:
    chars = []
    for ch in text:
        normal = _normal.get(ch)
        if normal is None:
            from langdetect.utils.ngram import NGram

            normal = _normal[ch] = NGram.normalize(ch)
        chars.append(normal)
    return "".join(chars)


def _ngrams(text: str, known: WordProbs) -> list[str]:
    """Every known n-gram of the text in langdetect's order (``_extract_ngrams``)."""
    words = _normalise(text).split(" ")
    result: list[str] = []
    last = len(words) - 1
    for number, word in enumerate(words):
        # every word but the last was followed by a space, which closes its n-grams
        key = word if number == last else word + " "
        found = _word_ngrams.get(key)
        if found is None:
            if len(_word_ngrams) >= CACHE_LIMIT:
                _word_ngrams.clear()
            found = _word_ngrams[key] = _extract(key, known)
        result.extend(found)
    return result


def _extract(chars: str, known: WordProbs) -> list[str]:
    """langdetect's ``NGram.add_char`` and ``_extract_ngrams`` over one word (and its space),
    from the state the n-gram buffer is in after a space."""
    result = []
    grams, capital = " ", False
    for ch in chars:
        last_char = grams[-1]
        if last_char == " ":
            grams, capital = " ", False
            if ch == " ":
                continue
        elif len(grams) >= 3:
            grams = grams[1:]
        grams += ch
        if ch.isupper():
            if last_char.isupper():
                capital = True
        else:
            capital = False
        if capital:
            continue
        for n in (1, 2, 3):
            if len(grams) < n:
                break
            w = grams[-n:]
            if w and w != " " and w in known:
                result.append(w)
    return result


def _vector(word: str, known: WordProbs) -> np.ndarray:
    vector = _vectors.get(word)
    if vector is None:
        if len(_vectors) >= CACHE_LIMIT:
            _vectors.clear()
        vector = _vectors[word] = np.array(known[word], dtype=np.float64)
    return vector


def _trials(factory: Factory | DetectorFactory, ngrams: list[str]) -> list[float]:
    """langdetect's ``_detect_block`` after the n-grams: seven seeded random walks.

    langdetect updates the probabilities once per draw and normalises them after draw 0, 5,
    10, …; here the draws between two normalisations are multiplied in one
    ``np.multiply.reduce`` over the rows ``[prob, draw, draw, …]``, which multiplies each
    column in row order: the same products in the same order as langdetect's loop.
    """
    known = factory.word_lang_prob_map
    size = len(factory.langlist)
    langprob = np.zeros(size, dtype=np.float64)
    rng = random.Random()
    rng.seed(factory.seed)
    getrandbits, count, vectors = rng.getrandbits, len(ngrams), _vectors
    bits = count.bit_length()
    for _ in range(N_TRIAL):
        prob = np.full(size, 1.0 / size, dtype=np.float64)
        alpha = ALPHA + rng.gauss(0.0, 1.0) * ALPHA_WIDTH
        weight = alpha / BASE_FREQ
        last, block = 0, 1  # draw 0, then 1-5, 6-10, …: a normalisation after each block
        while True:
            rows = [prob]
            for _ in range(block):
                # random.choice(ngrams), as CPython's Random draws it (_randbelow)
                pick = getrandbits(bits)
                while pick >= count:
                    pick = getrandbits(bits)
                word = ngrams[pick]
                vector = vectors.get(word)
                rows.append(_vector(word, known) if vector is None else vector)
            stack = np.array(rows)
            stack[1:] += weight
            prob = np.multiply.reduce(stack, axis=0)
            values = prob.tolist()
            total = sum(values)
            prob /= total
            # division by the positive total keeps the order: the largest quotient is that
            # of the largest value, as langdetect's running maximum finds it
            if max(values) / total > CONV_THRESHOLD or last >= ITERATION_LIMIT:
                break
            last, block = last + 5, 5
        langprob += prob / N_TRIAL
    return [float(p) for p in langprob.tolist()]
