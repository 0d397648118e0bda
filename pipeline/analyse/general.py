"""Finder set 2: general readers of what an article names, beside set 1's finders.

Set 1's finders were grown from the development set's own misses and fit its phrasing. The
readers here work from how each language forms the names of bodies, organisations and people
(a ministry is "Ministry of ...", "... министрлігі", "...部"; a Chinese company ends in a legal
form), from general knowledge (the ministries of both governments), or from a general tool
for that language; never from a list of any article's parties.
"""

from __future__ import annotations

from pipeline.analyse.finders import Found
from pipeline.analyse.general_bodies import government_bodies
from pipeline.analyse.general_han import han_reader
from pipeline.analyse.general_orgs import organisations
from pipeline.analyse.general_people import english_people, people
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
