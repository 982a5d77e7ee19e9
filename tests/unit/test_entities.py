"""entities.copied: the bulk writes' dataclasses.replace gives what dataclasses.replace gives."""

from __future__ import annotations

import dataclasses

import pytest

from asahi_desk.domain.entities import Indicator, LineItem, Program, copied


@pytest.mark.parametrize("entity, changes", [
    (Program("A-1", 1, "事業", 10, 5, ("総務課",), uid="u1", notes=("注",)), dict(prior=10, id=None, printed_change=None)),
    (LineItem(1, "細事業", 3, sections=("総務課",), uid="v1"), dict(prior=3, id=None)),
    (Indicator("指標", "10", "回", actual="8"), dict(actual="")),
    (Program(None, 0, "", 0, 0), dict(code="Ⅰ-3", number=3, name="事業", current=7, uid="u2")),
])
def test_copied_is_replace(entity: object, changes: dict) -> None:
    before = dataclasses.asdict(entity)  # type: ignore[call-overload]
    copy = copied(entity, **changes)
    assert copy == dataclasses.replace(entity, **changes)  # type: ignore[type-var]
    assert type(copy) is type(entity) and hash(copy) == hash(dataclasses.replace(entity, **changes))  # type: ignore[type-var]
    assert dataclasses.asdict(entity) == before  # type: ignore[call-overload]  # the original is untouched
    with pytest.raises(dataclasses.FrozenInstanceError):
        copy.name = "x"  # type: ignore[attr-defined]  # still frozen
