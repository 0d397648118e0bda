"""Finder set 3: set 2's readers, then a tidying pass over every finder's spans before they are
resolved into candidates.

Sets 1 and 2 leave some spans that name nothing a news article's reader would call a party: a
legal form or a province alone cut off a company's name, a ministry word joined to the next
country's adjective across "and", office words read as a person's name; and some names keep a
case ending or lose a syllable. Each fix here is a general one, from how the languages write
names, never from a list of any article's parties. A prompt whose config says ``"finders": 3``
reads with it; sets 1 and 2 never change (their recorded answers mean their candidates).
"""

from __future__ import annotations

from pipeline.analyse.finders import Found
from pipeline.analyse.tidy_names import tidy_names
from pipeline.analyse.tidy_people import tidy_people
from pipeline.ingest.articles import Article


def tidy(found: list[Found], article: Article) -> list[Found]:
    """Every tidying step of finder set 3, in order, over all finders' spans."""
    return tidy_people(tidy_names(found, article), article)


def tidy_set4(found: list[Found], article: Article) -> list[Found]:
    """Finder set 4's tidying: set 3's."""
    return tidy(found, article)
