from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline.grounding import locate

TEXT = "Стороны подписали «меморандум»  о строительстве\nзавода. Второе предложение."


def test_exact_normalised_missing() -> None:
    s = locate("Второе предложение.", TEXT)
    assert (s.status, TEXT[s.start:s.end]) == ("exact", "Второе предложение.")
    s = locate('стороны подписали "меморандум" о строительстве завода', TEXT)
    assert s.status == "normalised"
    assert TEXT[s.start:s.end].startswith("Стороны") and TEXT[s.start:s.end].endswith("завода")
    assert locate("Третье предложение.", TEXT).status == "missing"
    assert locate("   ", TEXT).status == "missing"


@given(st.text(min_size=1, max_size=200), st.integers(0, 199), st.integers(1, 50))
def test_any_substring_is_found_exactly(text: str, i: int, n: int) -> None:
    i = i % len(text)
    q = text[i:i + n]
    if q.strip() != q or not q.strip():
        return
    s = locate(q, text)
    assert s.status == "exact" and text[s.start:s.end] == q
