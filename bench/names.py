"""Name material for synthetic units: syllables of each country with their readings in other scripts."""
from __future__ import annotations

from unidecode import unidecode

# Vietnamese syllables as they appear in place names of the border provinces.
VI_SYLLABLES = (
    "An", "Bình", "Cao", "Đồng", "Giang", "Hà", "Hòa", "Hưng", "Khánh", "Lạc", "Lâm", "Long", "Minh",
    "Mường", "Nam", "Nậm", "Ngọc", "Phong", "Phú", "Phúc", "Quang", "Sơn", "Tân", "Thanh", "Thành",
    "Thượng", "Tiên", "Trung", "Văn", "Vĩnh", "Xuân", "Yên", "Bản", "Pó", "Sìn", "Lầu", "Khương",
    "Chải", "Cốc", "Lũng", "Kim", "Hồng", "Tả", "Phìn", "Mỏ", "Quản", "Bạ", "Xín", "Mần", "Hương",
)

# Chinese characters: (hanzi, pinyin without tones, Sino-Vietnamese reading).
ZH_SYLLABLES = (
    ("河", "he", "Hà"), ("口", "kou", "Khẩu"), ("马", "ma", "Mã"), ("关", "guan", "Quan"),
    ("南", "nan", "Nam"), ("溪", "xi", "Khê"), ("金", "jin", "Kim"), ("平", "ping", "Bình"),
    ("麻", "ma", "Ma"), ("栗", "li", "Lật"), ("坡", "po", "Pha"), ("富", "fu", "Phú"),
    ("宁", "ning", "Ninh"), ("龙", "long", "Long"), ("堡", "bao", "Bảo"), ("红", "hong", "Hồng"),
    ("文", "wen", "Văn"), ("山", "shan", "Sơn"), ("屏", "ping", "Bình"), ("边", "bian", "Biên"),
    ("东", "dong", "Đông"), ("西", "xi", "Tây"), ("新", "xin", "Tân"), ("安", "an", "An"),
    ("华", "hua", "Hoa"), ("云", "yun", "Vân"), ("白", "bai", "Bạch"), ("石", "shi", "Thạch"),
    ("水", "shui", "Thủy"), ("田", "tian", "Điền"), ("林", "lin", "Lâm"), ("桥", "qiao", "Kiều"),
)

# Lao syllables: (Lao script, romanisation, Vietnamese rendering).
LO_SYLLABLES = (
    ("ນາ", "Na", "Na"), ("ເປ", "Pe", "Pê"), ("ທອງ", "Thong", "Thoọng"), ("ຄຳ", "Kham", "Khăm"),
    ("ໄຊ", "Xay", "Xay"), ("ພອນ", "Phon", "Phon"), ("ສະ", "Sa", "Xa"), ("ວັນ", "Van", "Văn"),
    ("ຫຼວງ", "Luang", "Luông"), ("ເຊ", "Se", "Sê"), ("ກອງ", "Kong", "Kông"), ("ນ້ຳ", "Nam", "Nậm"),
    ("ອອນ", "On", "On"), ("ໂພ", "Pho", "Phô"), ("ສີ", "Si", "Si"), ("ລາ", "La", "La"),
    ("ແກ້ວ", "Kaeo", "Kẹo"), ("ມະ", "Ma", "Ma"), ("ຫາ", "Ha", "Ha"), ("ຕະ", "Ta", "Ta"),
)

# Per level: (word in the local language, Vietnamese word, English word, English word goes first).
LEVEL_WORDS = {
    "vn-province": ("Tỉnh", "Tỉnh", "Province", False),
    "vn-district": ("Huyện", "Huyện", "District", False),
    "vn-commune": ("Xã", "Xã", "Commune", False),
    "vn-village": ("Thôn", "Thôn", "Village", False),
    "cn-province": ("省", "Tỉnh", "Province", False),
    "cn-prefecture": ("州", "Châu", "Prefecture", False),
    "cn-county": ("县", "Huyện", "County", False),
    "cn-township": ("镇", "Trấn", "Town", False),
    "cn-village": ("村", "Thôn", "Village", False),
    "cn-group": ("组", "Tổ", "Group", False),
    "la-province": ("ແຂວງ", "Tỉnh", "Province", False),
    "la-district": ("ເມືອງ", "Huyện", "District", False),
    "la-village-cluster": ("ກຸ່ມບ້ານ", "Cụm bản", "Village Cluster", False),
    "la-village": ("ບ້ານ", "Bản", "Ban", True),
}


def unit_names(country: str, level: str, syllables: tuple[int, int]) -> dict[str, str]:
    """Names of a unit in its own language, Vietnamese, English (and pinyin for China)."""
    local_word, vi_word, en_word, en_first = LEVEL_WORDS[level]
    a, b = syllables
    if country == "vn":
        base = f"{VI_SYLLABLES[a % len(VI_SYLLABLES)]} {VI_SYLLABLES[b % len(VI_SYLLABLES)]}"
        roman = unidecode(base)
        return {"vi": f"{vi_word} {base}", "en": f"{roman} {en_word}", "alt-vi": base}
    if country == "cn":
        first, second = ZH_SYLLABLES[a % len(ZH_SYLLABLES)], ZH_SYLLABLES[b % len(ZH_SYLLABLES)]
        pinyin = (first[1] + second[1]).capitalize()
        vi = f"{first[2]} {second[2]}"
        return {"zh": first[0] + second[0] + local_word, "vi": f"{vi_word} {vi}", "en": f"{pinyin} {en_word}",
                "zh-Latn-pinyin": pinyin, "alt-vi": vi}
    first, second = LO_SYLLABLES[a % len(LO_SYLLABLES)], LO_SYLLABLES[b % len(LO_SYLLABLES)]
    roman = first[1] + second[1].lower()
    vi = f"{first[2]} {second[2]}"
    english = f"{en_word} {roman}" if en_first else f"{roman} {en_word}"
    return {"lo": local_word + first[0] + second[0], "vi": f"{vi_word} {vi}", "en": english, "alt-vi": vi}
