"""Sector words in Kazakh, Russian, English and Chinese, for the spec's sector vocabulary.

``sectors_in(text)`` lists the sectors a passage names, in the vocabulary's
order. Word stems are matched at the start of a word, case-insensitively.
"""

from __future__ import annotations

import re
from functools import lru_cache

_WORDS: dict[str, list[str]] = {
    "metallurgy": ["металлург", "металлурги", "ферроқорытпа", "ферросплав", "болат", "сталь", "алюмини", "мыс ",
                   "медеплав", "metallurg", "steel", "ferroalloy", "aluminium", "aluminum", "smelter", "冶金", "钢铁",
                   "铁合金", "铝", "медь", "медн", "copper", "zinc", "цинк", "titanium", "титан", "铜", "锌", "钛"],
    "mining": ["тау-кен", "кен байыту", "горно", "горнодобыва", "добыч", "рудн", "кен орн", "mining", "ore ",
               "mineral", "矿"],
    "machine_building": ["машина жасау", "машинажасау", "машиностро", "machine-building", "machine building",
                         "machinery", "engineering industry", "机械制造", "装备制造"],
    "automotive": ["автомобиль", "автомобил", "автокөлік", "автопром", "автосбор", "automotive", "automobile",
                   "car assembly", "vehicle", "汽车"],
    "agricultural_machinery": ["ауыл шаруашылығы техника", "сельскохозяйственной техники", "сельхозтехник",
                               "agricultural machinery", "tractor", "трактор", "комбайн", "农机", "农业机械"],
    "high_tech": ["жоғары технолог", "высоких технолог", "высокотехнолог", "жаңа технолог", "новых технолог",
                  "high-tech", "high tech", "advanced technolog", "高新技术", "高科技"],
    "digital": ["цифрл", "цифров", "digital", "IT-", "ақпараттық технолог", "информационных технолог",
                "artificial intelligence", "жасанды интеллект", "искусственн", "数字", "人工智能"],
    "electronics": ["электроника", "электрон", "electronics", "semiconductor", "microchip", "电子"],
    "robotics": ["робот", "robot", "机器人"],
    "energy": ["энергетика", "энергетик", "электр станция", "электростанц", "power plant", "energy", "能源", "电站"],
    "renewable_energy": ["жаңартылатын", "возобновля", "күн электр", "солнечн", "жел электр", "ветров", "renewable",
                         "solar", "wind farm", "wind power", "可再生", "光伏", "风电", "太阳能"],
    "electrical_equipment": ["электр жабдық", "электрооборуд", "кабель", "трансформатор", "electrical equipment",
                             "cable", "transformer", "电缆", "电气设备"],
    "ev_charging": ["зарядн", "зарядтау", "charging station", "EV charg", "充电"],
    "oil_gas": ["мұнай", "нефт", "газ ", "газов", "газ өңде", "oil", "gas", "petrochem", "石油", "天然气"],
    "chemicals": ["химия", "химиял", "химическ", "тыңайтқыш", "удобрен", "chemical", "fertili", "化工", "化肥"],
    "plastics": ["пластик", "полимер", "plastic", "polymer", "塑料"],
    "construction_materials": ["құрылыс материал", "строительных материал", "стройматериал", "цемент", "шыны",
                               "стекл", "кирпич", "construction material", "building material", "cement", "glass",
                               "建材", "水泥"],
    "construction": ["құрылыс", "строительств", "construction", "infrastructure", "инфрақұрылым", "инфраструктур",
                     "建设", "建筑"],
    "urban_planning": ["қала құрылысы", "градостро", "урбанист", "urban planning", "urban development", "城市规划"],
    "textiles": ["тоқыма", "текстил", "джинс", "деним", "мата ", "ткан", "швейн", "тігін", "textile", "denim",
                 "garment", "sewing", "纺织", "服装"],
    "light_industry": ["жеңіл өнеркәсіп", "легкой промышлен", "легкая промышлен", "light industry", "轻工"],
    "food_agriculture": ["ауыл шаруашылығы", "агро", "сельск", "азық-түлік", "продовольств", "пищев", "астық",
                         "зерн", "мал шаруашылығы", "животновод", "agricultur", "food", "grain", "livestock",
                         "农业", "粮食", "食品"],
    "logistics_transport": ["логистика", "логистик", "көлік", "транспорт", "транзит", "теміржол", "железнодорож",
                            "logistic", "transport", "transit", "railway", "物流", "运输", "铁路"],
    "trade": ["сауда", "торгов", "тауар айналым", "товарооборот", "экспорт", "импорт", "trade", "export", "import",
              "贸易", "出口"],
    "tourism": ["туризм", "туристі", "турист", "tourism", "tourist", "旅游"],
    "finance_investment": ["инвестициялық қор", "инвестиционн", "банк", "қаржы", "финанс", "investment fund",
                           "bank", "financ", "金融", "投资基金", "银行"],
    "industrial_zones": ["индустриялық аймақ", "индустриялық парк", "экономикалық аймақ", "индустриальн",
                         "экономической зон", "экономических зон", "индустриальной зон", "индустриальных зон",
                         "СЭЗ", "АЭА", "industrial zone", "industrial park", "economic zone", "产业园",
                         "工业园", "经济区", "合作区"],
    "education_science": ["білім", "ғылым", "университет", "образован", "наук", "education", "university",
                          "research", "science", "教育", "大学", "科研"],
    "healthcare": ["денсаулық", "медицин", "здравоохран", "фармацевт", "health", "medical", "pharma", "hospital",
                   "医疗", "医药", "卫生"],
}


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for sector, words in _WORDS.items():
        alts = []
        for w in words:
            if re.search(r"[\u4e00-\u9fff]", w):
                alts.append(re.escape(w))
            elif w.isupper() or w.endswith("-"):
                alts.append(rf"(?<!\w){re.escape(w)}")
            else:
                alts.append(rf"(?<!\w){re.escape(w)}")
        out.append((sector, re.compile("|".join(alts), re.IGNORECASE)))
    return out


def sectors_in(text: str) -> list[str]:
    """The sectors whose words occur in ``text``, in vocabulary order."""
    return [s for s, pat in _patterns() if pat.search(text)]


def sectors_ranked(text: str) -> list[str]:
    """The sectors whose words occur in ``text``, the most often named first (ties: the first named)."""
    found = []
    for s, pat in _patterns():
        hits = [m.start() for m in pat.finditer(text)]
        if hits:
            found.append((-len(hits), hits[0], s))
    return [s for _, _, s in sorted(found)]
