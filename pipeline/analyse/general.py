"""Finder set 2: general readers of what an article names, beside set 1's finders.

Set 1's finders were grown from the development set's own misses and fit its phrasing. The
readers here work from how each language forms the names of bodies, organisations and people
(a ministry is "Ministry of ...", "... министрлігі", "...部"; a Chinese company ends in a legal
form), from general knowledge (the ministries of both governments), or from a general tool
for that language; never from a list of any article's parties.
"""

from __future__ import annotations

import re

from pipeline.analyse.finders import Found, latin_kind
from pipeline.analyse.general_bodies import government_bodies, kazakh_bodies, russian_bodies
from pipeline.analyse.general_both import both_governments
from pipeline.analyse.general_han import acting_han_groups, han_reader, more_han_groups
from pipeline.analyse.general_orgs import acting_groups, more_groups, organisations
from pipeline.analyse.general_people import english_people, people
from pipeline.analyse.names import gazetteer
from pipeline.analyse.tidy_names import place_spelled
from pipeline.ingest.articles import Article


def general_finders(article: Article, found_places: list[Found]) -> list[Found]:
    """Every set-2 reader's spans over ``article`` (resolved with set 1's by ``find_candidates``)."""
    out: list[Found] = []
    out += government_bodies(article.text, article.language, found_places)
    out += organisations(article.text, article.language, found_places)
    out += people(article)
    out += english_people(article.text) if article.language == "en" else []
    out += han_reader(article, found_places)
    return out


_LATIN_WORD = re.compile(r"(?<![\w\-])[A-Z][A-Za-z]{3,}(?![\w\-])")


def firms_like_countries(text: str, english: bool) -> list[Found]:
    """A one-word name in Latin letters that set 1 took for a country's because it opens like one
    ("Kazatomprom", "KazTransOil") is a firm's or a body's of that country, unless it is spelled as
    the country's name ("Kazakhstan", "Kazakhstani")."""
    out = []
    for m in _LATIN_WORD.finditer(text):
        hit = gazetteer().lookup(m.group())
        if hit is None or hit.kind != "country" or place_spelled(m.group()):
            continue
        kind = latin_kind([m.group()], text[max(0, m.start() - 40):m.start()], text[m.end():m.end() + 20], english)
        out.append(Found(m.start(), m.end(), "company" if kind == "person" else kind, m.group(), m.group(), hit.country, "latin"))
    return out


def sixth_finders(article: Article, found_places: list[Found]) -> list[Found]:
    """Finder set 6's readers, beside set 2's: generic groups that act in an event or a project, not
    only those met with; firms whose names open like a country's; Kazakh and Russian bodies read
    whole with their place."""
    return (firms_like_countries(article.text, article.language == "en")
            + acting_groups(article.text, article.language, found_places)
            + acting_han_groups(article, found_places)
            + (kazakh_bodies(article.text, found_places) if article.language == "kk" else [])
            + (russian_bodies(article.text, found_places) if article.language == "ru" else []))


def seventh_finders(article: Article, found_places: list[Found]) -> list[Found]:
    """Finder set 7's readers, beside set 2's: set 6's firms named like a country and its Kazakh and
    Russian bodies; its acting groups read with each language's further words (buyers, suppliers,
    business as a whole, words of what kind); and the two countries' governments named in one phrase."""
    return (firms_like_countries(article.text, article.language == "en")
            + more_groups(article.text, article.language, found_places)
            + more_han_groups(article, found_places)
            + (kazakh_bodies(article.text, found_places) if article.language == "kk" else [])
            + (russian_bodies(article.text, found_places) if article.language == "ru" else [])
            + both_governments(article.text, article.language, found_places))
