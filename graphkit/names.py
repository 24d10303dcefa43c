"""Place names in comparable forms: diacritics folded, level words read as hints, other scripts read.

A name becomes a set of `NameForm`s: the folded Latin text with and without its level word
("xã Sơn Kim 2" -> "son kim 2", hint commune), a romanisation key that forgives the usual
spelling swaps of Lao and Vietnamese romanisations (r/l, x/s, kh/k, ou/u...), and for Chinese
the characters themselves, their pinyin (pypinyin) and their Sino-Vietnamese reading (cn2vn).
`similarity` compares two sets of forms with rapidfuzz.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from cn2vn import cn2vn
from pypinyin import lazy_pinyin
from rapidfuzz import fuzz
from unidecode import unidecode

# Folded level words written before a name (Vietnamese, Lao romanised) -> tier hinted.
# "thanh pho" is left without a hint: it names a province-level city and a district-level one.
PREFIX_LEVEL_WORDS = {
    "thanh pho truc thuoc trung uong": "province", "thanh pho": None, "tp": None, "tinh": "province",
    "khu tu tri": "province", "chau tu tri": "prefecture", "chau": "prefecture",
    "huyen": "district", "quan": "district", "thi xa": "district", "muang": "district",
    "mueang": "district", "meuang": "district", "khoueng": "province", "nakhon": "district",
    "xa": "commune", "phuong": "commune", "thi tran": "commune", "tran": "commune",
    "dac khu": "commune", "cum ban": "commune",
    "thon": "village", "ban": "village", "ap": "village", "to dan pho": "village",
    "to": "group",
}
# Folded level words written after a name (English, pinyin, German) -> tier hinted.
SUFFIX_LEVEL_WORDS = {
    "province": "province", "sheng": "province", "zizhiqu": "province", "autonomous region": "province",
    "municipality": "province", "prefecture": "prefecture", "autonomous prefecture": "prefecture",
    "zizhizhou": "prefecture", "district": "district", "county": "district", "xian": "district",
    "autonomous county": "district", "zizhixian": "district", "city": None, "shi": None,
    "commune": "commune", "township": "commune", "town": "commune", "zhen": "commune",
    "xiang": "commune", "village": "village", "cun": "village", "village cluster": "commune",
    "ward": "commune", "landkreis": "district", "kreis": "district",
}
# Chinese level suffixes, longest first; an ethnic name before 自治 goes with the suffix.
HAN_SUFFIXES = {
    "自治区": "province", "特别行政区": "province", "省": "province", "自治州": "prefecture",
    "地区": "prefecture", "州": "prefecture", "自治县": "district", "县": "district", "区": "district",
    "市": None, "街道": "commune", "镇": "commune", "乡": "commune", "村民小组": "group",
    "社区": "village", "村": "village", "组": "group",
}
LAO_PREFIXES = {"ນະຄອນຫຼວງ": "province", "ແຂວງ": "province", "ເມືອງ": "district", "ນະຄອນ": "district",
                "ກຸ່ມບ້ານ": "commune", "ບ້ານ": "village"}

# Spelling swaps between romanisations of the same Lao or Vietnamese name, applied in order
# to a name without spaces: Borikhamxay = Bolikhamxai, Houaphan = Hua Phan, Xekong = Sekong.
ROMANISATION_SWAPS = (
    ("ph", "p"), ("kh", "k"), ("th", "t"), ("ch", "c"), ("gn", "ny"), ("x", "s"), ("r", "l"),
    ("ou", "u"), ("oo", "o"), ("ee", "e"), ("ay", "ai"), ("ei", "ai"), ("y", "i"), ("c", "k"),
    ("q", "k"), ("w", "v"),
)

_HAN = re.compile(r"[\u3400-\u9fff]")
_LAO = re.compile(r"[\u0e80-\u0eff]")
# Ethnic names that stand between a Chinese place name and 自治 ("河口瑶族自治县" is Hekou).
ETHNIC_GROUPS = (
    "哈尼", "彝", "壮", "苗", "瑶", "傣", "景颇", "布依", "侗", "回", "蒙古", "藏", "维吾尔", "土家",
    "黎", "白", "纳西", "傈僳", "拉祜", "佤", "布朗", "独龙", "怒", "普米", "阿昌", "德昂", "基诺",
    "仡佬", "水", "毛南", "仫佬", "京", "满", "朝鲜", "羌", "畲", "土", "撒拉", "保安", "东乡",
)
_HAN_ETHNIC = re.compile("(?:(?:" + "|".join(sorted(ETHNIC_GROUPS, key=len, reverse=True)) + ")族)+$")
_EN_ETHNIC = re.compile(r"^((?:\w+ )+?)(?:(?:\w+ )?and \w+ |\w+ )?(autonomous (?:county|prefecture|region))$")
_PINYIN_ETHNIC = re.compile(r"^(.+?)(?: \w+zu)? (zizhiqu|zizhizhou|zizhixian)$")
_PARENS = re.compile(r"\s*[(（][^)）]*[)）]")
_DIGITS = re.compile(r"\d+")


def fold(text: str) -> str:
    """Lower-case ASCII form: diacritics and đ dropped, '??' damage ignored, punctuation squeezed."""
    text = text.replace("??", "").replace("Đ", "D").replace("đ", "d")
    return re.sub(r"[^a-z0-9]+", " ", unidecode(text).lower()).strip()


def roman_key(folded: str) -> str:
    """A folded name without spaces, with romanisation swaps applied."""
    key = folded.replace(" ", "")
    for old, new in ROMANISATION_SWAPS:
        key = key.replace(old, new)
    return key


def script_of(text: str) -> str:
    if _HAN.search(text):
        return "han"
    if _LAO.search(text):
        return "lao"
    return "latin"


@dataclass(frozen=True)
class NameForm:
    """One comparable form of a name; `stripped` when a level word was taken off."""

    original: str
    key: str  # romanisation key for Latin forms; the characters themselves otherwise
    kind: str  # "latin", "han" (characters) or "lao" (Lao script)
    stripped: bool = False
    hint: str | None = None
    via: str = "text"  # "text", "pinyin" or "sino-vietnamese"
    plain: str = ""  # the folded name without spaces, before romanisation swaps
    tokens: tuple[str, ...] = ()  # the folded syllables or words, for names written in several

    @property
    def digits(self) -> tuple[str, ...]:
        return tuple(_DIGITS.findall(self.key))


_PREFIX_WORDS = sorted(PREFIX_LEVEL_WORDS, key=len, reverse=True)
_PREFIX = re.compile(r"^(" + "|".join(map(re.escape, _PREFIX_WORDS)) + r") (.+)$")
_SUFFIX = re.compile(r"^(.+) (" + "|".join(map(re.escape, sorted(SUFFIX_LEVEL_WORDS, key=len, reverse=True))) + r")$")


def split_level(folded: str) -> tuple[str, str | None, bool]:
    """(name without its level word, the tier the word hints at, whether a word was found)."""
    found = _PREFIX.match(folded)
    if found:
        return found.group(2), PREFIX_LEVEL_WORDS[found.group(1)], True
    for pattern in (_EN_ETHNIC, _PINYIN_ETHNIC):
        found = pattern.match(folded)
        if found:
            return found.group(1).strip(), SUFFIX_LEVEL_WORDS[found.group(2)], True
    found = _SUFFIX.match(folded)
    if found:
        return found.group(1), SUFFIX_LEVEL_WORDS[found.group(2)], True
    return folded, None, False


def split_han(text: str) -> tuple[str, str | None, bool]:
    """Chinese characters without their level suffix (and the ethnic name before 自治)."""
    chars = "".join(_HAN.findall(text))
    for suffix in sorted(HAN_SUFFIXES, key=len, reverse=True):
        if chars.endswith(suffix):
            core = chars[: -len(suffix)]
            if suffix.startswith("自治"):
                core = _HAN_ETHNIC.sub("", core)
            if len(core) >= 2:
                return core, HAN_SUFFIXES[suffix], True
    return chars, None, False


def split_lao(text: str) -> tuple[str, str | None, bool]:
    squeezed = re.sub(r"\s+", "", text)
    for prefix in sorted(LAO_PREFIXES, key=len, reverse=True):
        if squeezed.startswith(prefix) and len(squeezed) > len(prefix):
            return squeezed[len(prefix):], LAO_PREFIXES[prefix], True
    return squeezed, None, False


def _latin_forms(text: str, via: str = "text") -> list[NameForm]:
    folded = fold(text)
    if not folded:
        return []
    forms = [NameForm(text, roman_key(folded), "latin", via=via, plain=folded.replace(" ", ""),
                      tokens=tuple(folded.split()))]
    core, hint, found = split_level(folded)
    if found and _distinctive(core):
        forms.append(NameForm(text, roman_key(core), "latin", True, hint, via, core.replace(" ", ""),
                              tuple(core.split())))
    return forms


def _distinctive(core: str) -> bool:
    """Whether a name left without its level word still says which place it is ("son" does not)."""
    letters = core.replace(" ", "")
    return len(letters) >= 5 or (" " in core and len(letters) >= 4)


def _han_forms(text: str, pinyin: bool = True) -> list[NameForm]:
    full = "".join(_HAN.findall(text))
    core, hint, found = split_han(text)
    forms = [NameForm(text, full, "han", plain=full)]
    if found and core:
        forms.append(NameForm(text, core, "han", True, hint, plain=core))
    for chars, stripped in ((full, False), (core, found)):
        if not chars:
            continue
        readings = [("sino-vietnamese", fold(cn2vn(chars)))]
        if pinyin:
            readings.append(("pinyin", "".join(lazy_pinyin(chars))))
        for via, reading in readings:
            forms.append(NameForm(text, roman_key(reading), "latin", stripped, hint if stripped else None, via,
                                  reading.replace(" ", ""), tuple(reading.split())))
    return forms


@lru_cache(maxsize=200_000)
def name_forms(text: str, pinyin: bool = True) -> tuple[NameForm, ...]:
    """Every comparable form of one name (pinyin=False skips pinyin where a source gives its own)."""
    text = text.strip()
    variants = sorted({text, _PARENS.sub("", text).strip()} - {""})
    forms: list[NameForm] = []
    for variant in variants:
        script = script_of(variant)
        if script == "han":
            forms += _han_forms(variant, pinyin)
        elif script == "lao":
            squeezed = re.sub(r"\s+", "", variant)
            core, hint, found = split_lao(variant)
            forms.append(NameForm(variant, squeezed, "lao", plain=squeezed))
            if found:
                forms.append(NameForm(variant, core, "lao", True, hint, plain=core))
        else:
            forms += _latin_forms(variant)
    return tuple(dict.fromkeys(forms))


def forms_of(names, pinyin: bool = True) -> tuple[NameForm, ...]:
    """The forms of several names, without repeats."""
    out: dict[NameForm, None] = {}
    for name in names:
        for form in name_forms(name, pinyin):
            out[form] = None
    return tuple(out)


@dataclass(frozen=True)
class NameMatch:
    """The best pair of forms between a query and a candidate, scored 0..1."""

    score: float
    query: NameForm | None
    candidate: NameForm | None

    @property
    def level_hint(self) -> str | None:
        """The tier a level word in the query hints at, when matching needed that word gone."""
        if self.query is not None and self.query.stripped:
            return self.query.hint
        return None


NO_MATCH = NameMatch(0.0, None, None)


SWAPPED = 0.92  # what agreeing only after romanisation swaps is worth against the same spelling


def compare_forms(a: NameForm, b: NameForm) -> float:
    """Similarity of two forms of the same kind, 0..1; names with different numbers never match."""
    if a.kind != b.kind or not a.key or not b.key or a.digits != b.digits:
        return 0.0
    if a.plain == b.plain:
        return 1.0
    if a.key == b.key:
        return SWAPPED
    if a.kind != "latin" or min(len(a.key), len(b.key)) < 4 or not _syllables_agree(a, b):
        return 0.0
    return _fuzzy(a.plain, b.plain) / 100.0


def _fuzzy(a: str, b: str) -> float:
    return max(fuzz.ratio(a, b), SWAPPED * fuzz.ratio(roman_key(a), roman_key(b)))


def _syllables_agree(a: NameForm, b: NameForm) -> bool:
    """Names written in the same number of syllables must agree syllable by syllable:
    Quảng Bình is not Quảng Ninh, however alike the letters."""
    if len(a.tokens) != len(b.tokens) or len(a.tokens) < 2:
        return True
    return all(_fuzzy(x, y) >= 80 for x, y in zip(a.tokens, b.tokens))


def similarity(query: tuple[NameForm, ...], candidate: tuple[NameForm, ...]) -> NameMatch:
    """The best-scoring pair of forms; a pair needing no level word stripped wins ties."""
    best = NO_MATCH
    for q in query:
        for c in candidate:
            score = compare_forms(q, c)
            if score > best.score or (score == best.score and score and best.query.stripped and not q.stripped):
                best = NameMatch(score, q, c)
    return best


def level_hint(text: str) -> str | None:
    """The tier a level word in a name hints at ("huyện Hà Khẩu" -> district), if any."""
    for form in name_forms(text):
        if form.stripped and form.hint:
            return form.hint
    return None
