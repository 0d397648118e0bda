"""A small invented data set for the report's demo, screenshot and tests.

Seven short articles written for the purpose (the companies and people are
fictional; the places are real), each with a scripted model answer. They go
through the real pipeline (ingest, the full-shape prompt, grounding, schema
validation) with the scripted backend, then ``merge``: two articles report the
same signing, in English and Russian. No third-party text.

    python -m pipeline.demo OUT_DIR     # records.jsonl and merged.jsonl in OUT_DIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from .backends.base import LLMRequest
from .extract import Extractor
from .ingest import make_article
from .merge import merge_records
from .prompts import load_prompt
from .schema import load_schema
from .testing import FakeBackend


def _p(name: str, name_en: str, kind: str, title: str | None = None, affiliation: str | None = None) -> dict[str, Any]:
    return {"name": name, "name_en": name_en, "kind": kind, "title": title, "affiliation": affiliation}


def _money(amount: float, currency: str, qualifier: str = "exact") -> dict[str, Any]:
    return {"amount": amount, "currency": currency, "qualifier": qualifier}


def _event(**kw: Any) -> dict[str, Any]:
    ev: dict[str, Any] = {"type": "meeting", "date": None, "location": {"place": None, "country": None},
                          "kz_parties": [], "cn_parties": [], "sectors": [], "agreements": [], "projects": [],
                          "summary": "", "evidence": []}
    ev.update(kw)
    return ev


TRACTOR = {
    "type": "signing", "date": "2025-03-14", "location": {"place": "Astana", "country": "KZ"},
    "sectors": ["agricultural_machinery", "machine_building"],
    "agreements": [{"kind": "memorandum", "subject": "tractor assembly plant in Kostanay",
                    "parties": ["Ministry of Industry of Kazakhstan", "Jiangsu Example Machinery"]}],
    "projects": [{"description": "tractor assembly plant", "location": "Kostanay", "status": "agreed",
                  "sectors": ["agricultural_machinery"], "value": _money(120e6, "USD")}],
    "summary": "Kazakhstan and Jiangsu Example Machinery signed a memorandum on a tractor plant in Kostanay.",
}

ARTICLES: list[dict[str, Any]] = [
    {"id": "demo-en-001", "date": "2025-03-14", "url": "https://example.org/news/tractor-plant",
     "title": "Kazakhstan and a Jiangsu firm sign a tractor plant memorandum",
     "text": "Astana, 14 March 2025. Kazakhstan's Vice Minister of Industry Aidana Serikova and Li Wenbo, chairman "
             "of Jiangsu Example Machinery, signed a memorandum on a tractor assembly plant in Kostanay. "
             "The plant will cost USD 120 million and employ 800 people. "
             "Both sides agreed to start construction next year.",
     "answer": _event(**TRACTOR,
                      kz_parties=[_p("Aidana Serikova", "Aidana Serikova", "person", "Vice Minister of Industry")],
                      cn_parties=[_p("Jiangsu Example Machinery", "Jiangsu Example Machinery", "company"),
                                  _p("Li Wenbo", "Li Wenbo", "person", "Chairman", "Jiangsu Example Machinery")],
                      evidence=["Kazakhstan's Vice Minister of Industry Aidana Serikova and Li Wenbo, chairman of "
                                "Jiangsu Example Machinery, signed a memorandum on a tractor assembly plant in "
                                "Kostanay.", "The plant will cost USD 120 million and employ 800 people."])},
    {"id": "demo-ru-002", "date": "2025-03-15", "url": "https://example.org/ru/traktor",
     "title": "Трактора из Костаная",
     "text": "Астана, 14 марта 2025 года. Вице-министр промышленности Казахстана Айдана Серикова и председатель "
             "компании Jiangsu Example Machinery Ли Вэньбо подписали меморандум о строительстве завода по сборке "
             "тракторов в Костанае. Стоимость проекта составит 120 млн долларов США.",
     "answer": _event(**TRACTOR,
                      kz_parties=[_p("Айдана Серикова", "Aidana Serikova", "person", "Vice Minister of Industry")],
                      cn_parties=[_p("Jiangsu Example Machinery", "Jiangsu Example Machinery", "company"),
                                  _p("Ли Вэньбо", "Li Wenbo", "person", "Chairman", "Jiangsu Example Machinery")],
                      evidence=["Вице-министр промышленности Казахстана Айдана Серикова и председатель компании "
                                "Jiangsu Example Machinery Ли Вэньбо подписали меморандум о строительстве завода "
                                "по сборке тракторов в Костанае.",
                                "Стоимость проекта составит 120 млн долларов США."])},
    {"id": "demo-en-003", "date": "2025-05-20", "url": "https://example.org/news/textile-talks",
     "title": "Turkestan delegation in Urumqi",
     "text": "Urumqi, 20 May 2025. A delegation of Turkestan Region led by deputy akim Nurlan Abenov met the "
             "management of Xinjiang Demo Textile Group. The sides discussed a cotton processing cluster.",
     "answer": _event(type="meeting", date="2025-05-20", location={"place": "Urumqi", "country": "CN"},
                      kz_parties=[_p("Turkestan Region", "Turkestan Region", "region"),
                                  _p("Nurlan Abenov", "Nurlan Abenov", "person", "Deputy Akim", "Turkestan Region")],
                      cn_parties=[_p("Xinjiang Demo Textile Group", "Xinjiang Demo Textile Group", "company")],
                      sectors=["textiles", "light_industry"],
                      summary="A Turkestan Region delegation met Xinjiang Demo Textile Group on a cotton cluster.",
                      evidence=["A delegation of Turkestan Region led by deputy akim Nurlan Abenov met the "
                                "management of Xinjiang Demo Textile Group."])},
    {"id": "demo-ru-004", "date": "2025-06-03", "url": None, "title": "Модернизация алюминиевого завода",
     "text": "Павлодар, 3 июня 2025 года. Компания Sino Steppe Aluminium объявила о модернизации алюминиевого "
             "завода в Павлодарской области. Инвестиции составят 45 млрд тенге.",
     "answer": _event(type="project", date="2025-06-03", location={"place": "Pavlodar Region", "country": "KZ"},
                      kz_parties=[_p("Павлодарской области", "Pavlodar Region", "region")],
                      cn_parties=[_p("Sino Steppe Aluminium", "Sino Steppe Aluminium", "company")],
                      sectors=["metallurgy"],
                      projects=[{"description": "aluminium smelter upgrade", "location": "Pavlodar Region",
                                 "status": "proposed", "sectors": ["metallurgy"], "value": _money(45e9, "KZT")}],
                      summary="Sino Steppe Aluminium will upgrade an aluminium smelter in Pavlodar Region.",
                      evidence=["Компания Sino Steppe Aluminium объявила о модернизации алюминиевого завода в "
                                "Павлодарской области.", "Инвестиции составят 45 млрд тенге."])},
    {"id": "demo-en-005", "date": "2025-09-10", "url": "https://example.org/news/dry-port",
     "title": "Business forum in Almaty",
     "text": "Almaty, 10 September 2025. At the Kazakhstan-China Business Forum, QazTrade Demo and the Shanghai "
             "Demo Chamber of Commerce signed a framework agreement on a dry port terminal near Khorgos. "
             "The terminal is estimated at about 1.2 billion yuan.",
     "answer": _event(type="forum", date="2025-09-10", location={"place": "Almaty", "country": "KZ"},
                      kz_parties=[_p("QazTrade Demo", "QazTrade Demo", "organization")],
                      cn_parties=[_p("Shanghai Demo Chamber of Commerce", "Shanghai Demo Chamber of Commerce",
                                     "organization")],
                      sectors=["logistics_transport"],
                      agreements=[{"kind": "framework_agreement", "subject": "dry port terminal near Khorgos",
                                   "parties": ["QazTrade Demo", "Shanghai Demo Chamber of Commerce"]}],
                      projects=[{"description": "dry port terminal near Khorgos", "location": "Khorgos",
                                 "status": "proposed", "sectors": ["logistics_transport"],
                                 "value": _money(1.2e9, "CNY", "about")}],
                      summary="At a business forum in Almaty a framework agreement on a dry port was signed.",
                      evidence=["At the Kazakhstan-China Business Forum, QazTrade Demo and the Shanghai Demo "
                                "Chamber of Commerce signed a framework agreement on a dry port terminal near "
                                "Khorgos.", "The terminal is estimated at about 1.2 billion yuan."])},
    {"id": "demo-en-006", "date": "2025-11-22", "url": "https://example.org/news/wheat",
     "title": "Wheat for COFCO Demo",
     "text": "Beijing, 22 November 2025. Kazakh grain exporter Demo Grain Corp agreed to supply wheat to COFCO "
             "Demo Trading in a deal worth USD 90 million.",
     "answer": _event(type="trade", date="2025-11-22", location={"place": "Beijing", "country": "CN"},
                      kz_parties=[_p("Demo Grain Corp", "Demo Grain Corp", "company")],
                      cn_parties=[_p("COFCO Demo Trading", "COFCO Demo Trading", "company")],
                      sectors=["food_agriculture", "trade"],
                      projects=[{"description": "wheat supply deal", "location": None, "status": "agreed",
                                 "sectors": ["food_agriculture"], "value": _money(90e6, "USD")}],
                      summary="Demo Grain Corp will supply wheat to COFCO Demo Trading.",
                      evidence=["Kazakh grain exporter Demo Grain Corp agreed to supply wheat to COFCO Demo "
                                "Trading in a deal worth USD 90 million."])},
    {"id": "demo-en-007", "date": None, "url": None, "title": "Solar talks in Aktobe",
     "text": "Officials of Aktobe Region met representatives of Chinese investors from Demo Solar Power to "
             "discuss a solar power station.",
     "answer": _event(type="meeting", date=None, location={"place": None, "country": "KZ"},
                      kz_parties=[_p("Aktobe Region", "Aktobe Region", "region")],
                      cn_parties=[_p("Demo Solar Power", "Demo Solar Power", "company")],
                      sectors=["renewable_energy"], summary="Aktobe Region officials met Demo Solar Power.",
                      evidence=["Officials of Aktobe Region met representatives of Chinese investors from Demo "
                                "Solar Power to discuss a solar power station."])},
]


def _answer(request: LLMRequest) -> dict[str, Any]:
    user = request.messages[-1]["content"]
    for a in ARTICLES:
        if a["text"][40:90] in user:
            return {"events": [a["answer"]]}
    return {"events": []}


def demo_records() -> list[dict[str, Any]]:
    """The invented articles through the real pipeline with their scripted answers."""
    ex = Extractor(FakeBackend(default=_answer), load_prompt("extract-v1"), load_schema("record.v1"))
    return [ex.run(make_article(a["id"], a["text"], title=a["title"], published=a["date"], url=a["url"]))
            for a in ARTICLES]


def demo_merged() -> list[dict[str, Any]]:
    return merge_records(demo_records())


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else ".")
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in (("records.jsonl", demo_records()), ("merged.jsonl", demo_merged())):
        (out / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    print(f"wrote {out / 'records.jsonl'} and {out / 'merged.jsonl'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
