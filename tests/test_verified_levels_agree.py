"""The rule "a verified level takes the place of the company's own where one was decided" has two shapes: one
assessment's levels (Results, the company report: scoring.verification.verified_levels) and the long answers frame of
many (verified-only panels: scoring.inflation.with_verified). They must agree on every input."""

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from scoring.inflation import with_verified
from scoring.verification import verified_levels

CRITERIA = ["A1", "A2", "B1", "B2", "C1"]
LEVEL = st.one_of(st.integers(0, 4), st.just("na"))


@given(st.dictionaries(st.sampled_from(CRITERIA), LEVEL), st.dictionaries(st.sampled_from(CRITERIA), LEVEL))
def test_one_assessment_and_the_frame_of_many_give_the_same_levels(own, verified):
    one = verified_levels(own, verified)
    answers = pd.DataFrame({"assessment": 7, "criterion": list(own), "level": list(own.values())},
                           columns=["assessment", "criterion", "level"])  # fmt: skip
    decided = pd.DataFrame({"assessment": 7, "criterion": list(verified), "level": list(verified.values())},
                           columns=["assessment", "criterion", "level"])  # fmt: skip
    many = with_verified(answers, decided)
    assert dict(zip(many["criterion"], many["level"].astype(object), strict=True)) == one
