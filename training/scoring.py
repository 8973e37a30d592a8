"""How a quiz attempt is scored. Pure functions: the server's only rule, easy to test on their own.

The rule, as learners are told on the quiz page:
- every question is worth one point;
- a single-choice question scores when exactly one answer is chosen and it is the right one;
- a multiple-choice question scores only when the answers chosen are exactly the right ones: every
  right answer ticked and no wrong one (no partial credit, so guessing by ticking everything fails);
- an attempt passes when score / questions ≥ pass mark / 100, compared in whole numbers
  (score * 100 >= pass mark * questions), so that 7 of 10 passes a 70 % mark without rounding errors.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping


def question_scores(*, kind: str, correct: Collection[int], chosen: Collection[int]) -> bool:
    chosen_set, correct_set = set(chosen), set(correct)
    if kind == "single":
        return len(chosen_set) == 1 and chosen_set <= correct_set
    return bool(correct_set) and chosen_set == correct_set


def attempt_score(*, questions: Mapping[int, tuple[str, Collection[int]]],
                  answers: Mapping[int, Collection[int]]) -> int:
    """Points for an attempt: `questions` maps id → (kind, ids of right answers); `answers` id → chosen ids."""
    return sum(
        question_scores(kind=kind, correct=correct, chosen=answers.get(question_id, ()))
        for question_id, (kind, correct) in questions.items()
    )


def attempt_passes(*, score: int, max_score: int, pass_mark: int) -> bool:
    return max_score > 0 and score * 100 >= pass_mark * max_score
