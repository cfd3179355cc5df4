"""Programming languages named by a letter and signs survive normalisation as words."""

from __future__ import annotations

import pytest

from matching.engine.normalize import normalize_skill, normalize_title


@pytest.mark.parametrize(
    ("title", "normalised"),
    [
        ("C++ developer", "cpp developer"),
        ("Разработчик С++", "razrabotchik cpp"),  # a Cyrillic «С», as people type it
        ("C# программист", "csharp programmist"),
        (".NET developer", "dotnet developer"),
        ("ASP.NET developer", "asp dotnet developer"),
        ("F# developer", "fsharp developer"),
        ("Программист C/C++/C#", "programmist c cpp csharp"),
        # nothing else changes
        ("Гл. бухгалтер", "gl buhgalter"),
        ("Программист 1С", "programmist s"),
        ("Водитель кат. С", "voditel kat s"),
    ],
)
def test_language_names_become_words(title: str, normalised: str) -> None:
    assert normalize_title(title) == normalised


def test_skills_keep_the_three_languages_apart() -> None:
    """ "C", "C++" and "C#" are three ESCO skills; without their signs all three were "c"."""
    assert len({normalize_skill(s) for s in ("C", "C++", "C#")}) == 3
