"""The JSON interchange format ('asahi-desk budget 1', 'asahi-desk review 1'): strict load, faithful dump.

Loading checks every key and value and raises InputError naming the place in Japanese; unknown
keys are refused. Dumping a loaded Budget gives back the same data (figures, texts, order, markers).
See docs/json-format.md.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from asahi_desk.domain import money
from asahi_desk.domain.entities import (
    MARKERS,
    AgendaItem,
    AgendaSubItem,
    Budget,
    BudgetClass,
    Category,
    Indicator,
    LineItem,
    Meeting,
    Photo,
    Program,
    ProgramLink,
    RelatedBureauProgram,
    Review,
    ReviewArea,
    ReviewInitiative,
    ReviewRow,
    SummaryRow,
)
from asahi_desk.domain.errors import InputError
from asahi_desk.domain.fiscal import check_fiscal_year
from asahi_desk.domain.rules import default_class
from asahi_desk.domain.text import is_clean, text_problem
from asahi_desk.importers import json_safety

BUDGET_FORMAT = "asahi-desk budget 1"
REVIEW_FORMAT = "asahi-desk review 1"


class _Reader:
    """Walks a parsed JSON value, keeping the path for messages."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, message: str) -> InputError:
        return InputError(message, f"{self.source}: {path}" if path else self.source)

    def obj(self, value: Any, path: str, allowed: set[str], required: set[str] = frozenset()) -> dict:
        if not isinstance(value, dict):
            raise self.fail(path, "オブジェクト（{…}）が必要です")
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise self.fail(path, f"未知の項目 {', '.join(unknown)} があります（対応していない形式です）")
        missing = sorted(required - set(value))
        if missing:
            raise self.fail(path, f"必須の項目 {', '.join(missing)} がありません")
        return value

    def lst(self, value: Any, path: str) -> list:
        if not isinstance(value, list):
            raise self.fail(path, "配列（[…]）が必要です")
        return value

    def text(self, value: Any, path: str, *, optional: bool = False) -> str | None:
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise self.fail(path, "文字列が必要です")
        if is_clean(value):  # the common case: no control character anywhere, whatever the field
            return value
        field = _FIELD.search(path)
        problem = text_problem(value, multiline=bool(field) and field.group(1) in MULTILINE_FIELDS)
        if problem:
            raise self.fail(path, problem)
        return value

    def texts(self, value: Any, path: str) -> tuple[str, ...]:
        return tuple(str(self.text(v, f"{path}[{i}]")) for i, v in enumerate(self.lst(value, path)))

    def names(self, value: Any, path: str) -> tuple[str, ...]:
        """A list of names (sections): each once."""
        out = self.texts(value, path)
        for i, name in enumerate(out):
            if name in out[:i]:
                raise self.fail(f"{path}[{i}]", f"「{name}」が2回あります")
        return out

    def integer(self, value: Any, path: str, *, optional: bool = False, allow_negative: bool = False) -> int | None:
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(path, f"金額は千円単位の整数で指定してください（{value!r}）")
        try:
            money.check_amount(value, allow_negative=allow_negative)
        except ValueError as e:
            raise self.fail(path, f"{e}（{value}）") from None
        return value

    def number(self, value: Any, path: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_NUMBER:
            raise self.fail(path, f"番号は0以上 {MAX_NUMBER:,} 以下の整数で指定してください（{value!r}）")
        return value

    def rate(self, value: Any, path: str) -> Decimal | None:
        if value is None:
            return None
        text = str(self.text(value, path))
        # As printed: a percentage with at most one decimal ("3.2", "-33.9"); no NaN, exponent or infinity.
        if not RATE_TEXT.fullmatch(text):
            raise self.fail(path, f"増▲減率は小数第1位までの数で指定してください（{value!r}）")
        return Decimal(text)

    def each(self, value: Any, path: str, fn: Callable[[Any, str], Any]) -> tuple:
        return tuple(fn(v, f"{path}[{i}]") for i, v in enumerate(self.lst(value, path)))


RATE_TEXT = re.compile(r"-?\d{1,6}(\.\d)?")
MAX_NUMBER = 99_999  # 事業・細事業・次第の番号
# Fields written as paragraphs or lists of sentences: tab and newline allowed there, nowhere else.
MULTILINE_FIELDS = {"purpose", "activities", "notes", "summary_notes", "uncertain", "plan", "results", "basic_goal"}
_FIELD = re.compile(r"\.(\w+)(?:\[\d+\])?$")


def read_json_file(path: Path) -> Any:
    """Parse a file within bounds (json_safety), turning every failure into an InputError that names the
    file and the place."""
    return json_safety.read_json(path)


def detect_format(data: Any, source: str) -> str:
    if isinstance(data, dict) and data.get("format") in (BUDGET_FORMAT, REVIEW_FORMAT):
        return str(data["format"])
    raise InputError(f"形式名（format）が「{BUDGET_FORMAT}」または「{REVIEW_FORMAT}」ではありません", source)


# --------------------------------------------------------------------------- budget: load

_TOP = {"format", "ward", "city", "fiscal_year", "prior_fiscal_year", "unit", "title", "meeting", "meetings",
        "summary", "summary_notes", "categories", "overview", "uncertain", "budget_classes"}
_CATEGORY = {"code", "name", "budget_class", "programs"}
_PROGRAM = {"code", "number", "name", "sections", "purpose", "current", "prior", "change", "line_items",
            "indicators", "related_bureau_programs", "photos", "notes", "uid"}
_LINE_ITEM = {"number", "name", "amount", "marker", "activities", "prior", "sections", "uid"}


def parse_budget(data: Any, source: str = "JSON") -> Budget:
    r = _Reader(source)
    top = r.obj(data, "", _TOP, {"format", "ward", "fiscal_year", "categories"})
    if top["format"] != BUDGET_FORMAT:
        raise r.fail("format", f"形式名が「{BUDGET_FORMAT}」ではありません（{top['format']!r}）")
    try:
        year = check_fiscal_year(top["fiscal_year"])
    except ValueError as e:
        raise r.fail("fiscal_year", str(e)) from None
    if "prior_fiscal_year" in top and top["prior_fiscal_year"] != year - 1:
        raise r.fail("prior_fiscal_year", f"前年度は {year - 1} でなければなりません（{top['prior_fiscal_year']!r}）")
    unit = top.get("unit", "千円")
    if unit != "千円":
        raise r.fail("unit", f"単位は「千円」のみ対応しています（{unit!r}）")
    meetings: tuple[Meeting, ...] = ()
    if "meeting" in top and "meetings" in top:
        raise r.fail("meetings", "meeting と meetings は同時に指定できません")
    if top.get("meeting") is not None:
        meetings = (_meeting(r, top["meeting"], "meeting"),)
    elif "meetings" in top:
        meetings = r.each(top["meetings"], "meetings", lambda v, p: _meeting(r, v, p))
    categories = r.each(top["categories"], "categories", lambda v, p: _category(r, v, p))
    _refuse_repeated_programs(r, categories)
    classes = _budget_classes(r, top.get("budget_classes"), categories)
    summary = None
    if top.get("summary") is not None:
        summary = r.each(top["summary"], "summary", lambda v, p: _summary_row(r, v, p))
    overview = top.get("overview")
    if overview is not None and not isinstance(overview, dict):
        raise r.fail("overview", "オブジェクト（{…}）が必要です")
    return Budget(
        ward=str(r.text(top["ward"], "ward")),
        fiscal_year=year,
        city=str(r.text(top.get("city", ""), "city")),
        title=str(r.text(top.get("title", ""), "title")),
        unit=unit,
        categories=categories,
        budget_classes=classes,
        meetings=meetings,
        summary=summary,
        summary_notes=r.texts(top["summary_notes"], "summary_notes") if top.get("summary_notes") is not None else None,
        overview=overview,
        uncertain=r.texts(top["uncertain"], "uncertain") if top.get("uncertain") is not None else None,
    )


def _refuse_repeated_programs(r: _Reader, categories: tuple[Category, ...]) -> None:
    """The same program twice (by code, or by name where there is no code) is a copy slip, not data."""
    seen: set[tuple[str, str]] = set()
    for i, cat in enumerate(categories):
        for j, p in enumerate(cat.programs):
            key = ("code", p.code) if p.code else ("name", f"{cat.name}/{p.name}")
            if key in seen:
                raise r.fail(f"categories[{i}].programs[{j}]", f"事業「{p.code or p.name}」が2回あります")
            seen.add(key)


def _budget_classes(r: _Reader, value: Any, categories: tuple[Category, ...]) -> tuple[BudgetClass, ...]:
    declared: dict[str, BudgetClass] = {}
    if value is not None:
        for i, v in enumerate(r.lst(value, "budget_classes")):
            p = f"budget_classes[{i}]"
            o = r.obj(v, p, {"name", "in_total", "indicators_required"}, {"name"})
            name = str(r.text(o["name"], f"{p}.name"))
            for flag in ("in_total", "indicators_required"):
                if flag in o and not isinstance(o[flag], bool):
                    raise r.fail(f"{p}.{flag}", "true または false を指定してください")
            d = default_class(name)
            declared[name] = BudgetClass(name, o.get("in_total", d.in_total), o.get("indicators_required", d.indicators_required))
    result = list(declared.values())
    for c in categories:
        if c.budget_class not in declared:
            declared[c.budget_class] = default_class(c.budget_class)
            result.append(declared[c.budget_class])
    return tuple(result)


def _meeting(r: _Reader, value: Any, path: str) -> Meeting:
    o = r.obj(value, path, {"title", "date", "start_time", "venue", "agenda"}, {"title", "date"})
    try:
        date = dt.date.fromisoformat(str(r.text(o["date"], f"{path}.date")))
    except ValueError:
        raise r.fail(f"{path}.date", f"日付が正しくありません（{o['date']!r}、例: 2024-06-11）") from None
    start = None
    if o.get("start_time") is not None:
        try:
            start = dt.time.fromisoformat(str(r.text(o["start_time"], f"{path}.start_time")))
        except ValueError:
            raise r.fail(f"{path}.start_time", f"時刻が正しくありません（{o['start_time']!r}、例: 15:00）") from None

    return Meeting(str(r.text(o["title"], f"{path}.title")), date, start,
                   str(r.text(o.get("venue", ""), f"{path}.venue")),
                   r.each(o.get("agenda", []), f"{path}.agenda", lambda v, p: _agenda_item(r, v, p)))


def _agenda_item(r: _Reader, v: Any, p: str) -> AgendaItem:
    a = r.obj(v, p, {"number", "title", "items"}, {"number", "title"})

    def sub(v2: Any, p2: str) -> AgendaSubItem:
        s = r.obj(v2, p2, {"title", "presenter", "material"}, {"title"})
        return AgendaSubItem(str(r.text(s["title"], f"{p2}.title")),
                             r.text(s.get("presenter"), f"{p2}.presenter", optional=True),
                             r.text(s.get("material"), f"{p2}.material", optional=True))

    return AgendaItem(r.number(a["number"], f"{p}.number"), str(r.text(a["title"], f"{p}.title")),
                      r.each(a.get("items", []), f"{p}.items", sub))


def parse_agenda(data: Any, source: str) -> tuple[AgendaItem, ...]:
    """An agenda file (docs/agenda-json.md): the array of a meeting's `agenda`, or an object holding it
    under "agenda" (a meeting as dumped, whose other keys are ignored)."""
    r = _Reader(source)
    if isinstance(data, dict):
        if "agenda" not in data:
            raise r.fail("", "次第の配列（[…]）か、\"agenda\" を持つオブジェクトが必要です")
        return r.each(data["agenda"], "agenda", lambda v, p: _agenda_item(r, v, p))
    return r.each(data, "", lambda v, p: _agenda_item(r, v, p))


def _summary_row(r: _Reader, value: Any, path: str) -> SummaryRow:
    o = r.obj(value, path, {"name", "current", "prior", "change", "rate"}, {"name", "current", "prior"})
    return SummaryRow(str(r.text(o["name"], f"{path}.name")),
                      r.integer(o["current"], f"{path}.current"), r.integer(o["prior"], f"{path}.prior"),
                      r.integer(o.get("change"), f"{path}.change", optional=True, allow_negative=True),
                      r.rate(o.get("rate"), f"{path}.rate"))


def _category(r: _Reader, value: Any, path: str) -> Category:
    o = r.obj(value, path, _CATEGORY, {"name", "budget_class", "programs"})
    name = str(r.text(o["name"], f"{path}.name"))
    here = f"{path}（{name}）"
    return Category(r.text(o.get("code"), f"{here}.code", optional=True), name,
                    str(r.text(o["budget_class"], f"{here}.budget_class")),
                    r.each(o["programs"], f"{here}.programs", lambda v, p: _program(r, v, p)))


def _program(r: _Reader, value: Any, path: str) -> Program:
    o = r.obj(value, path, _PROGRAM, {"number", "name", "current", "prior"})
    name = str(r.text(o["name"], f"{path}.name"))
    p = f"{path}（{name}）"

    def indicator(v: Any, q: str) -> Indicator:
        i = r.obj(v, q, {"name", "target", "unit", "actual"}, {"name"})
        return Indicator(str(r.text(i["name"], f"{q}.name")), str(r.text(i.get("target", ""), f"{q}.target")),
                         str(r.text(i.get("unit", ""), f"{q}.unit")), str(r.text(i.get("actual", ""), f"{q}.actual")))

    def related(v: Any, q: str) -> RelatedBureauProgram:
        i = r.obj(v, q, {"name", "bureau", "amount"}, {"name"})
        return RelatedBureauProgram(str(r.text(i["name"], f"{q}.name")), str(r.text(i.get("bureau", ""), f"{q}.bureau")),
                                    r.integer(i.get("amount"), f"{q}.amount", optional=True))

    def photo(v: Any, q: str) -> Photo:
        i = r.obj(v, q, {"caption", "image"}, {"caption"})
        image = None
        if i.get("image") is not None:
            try:
                image = base64.b64decode(str(r.text(i["image"], f"{q}.image")), validate=True)
            except binascii.Error:
                raise r.fail(f"{q}.image", "画像が base64 ではありません") from None
        return Photo(str(r.text(i["caption"], f"{q}.caption")), image)

    return Program(
        code=r.text(o.get("code"), f"{p}.code", optional=True),
        number=r.number(o["number"], f"{p}.number"),
        name=name,
        current=int(r.integer(o["current"], f"{p}.current")),
        prior=int(r.integer(o["prior"], f"{p}.prior")),
        sections=r.names(o.get("sections", []), f"{p}.sections"),
        purpose=str(r.text(o.get("purpose", ""), f"{p}.purpose")),
        printed_change=r.integer(o.get("change"), f"{p}.change", optional=True, allow_negative=True),
        line_items=r.each(o.get("line_items", []), f"{p}.line_items", lambda v, q: _line_item(r, v, q)),
        indicators=r.each(o.get("indicators", []), f"{p}.indicators", indicator),
        related_bureau_programs=r.each(o.get("related_bureau_programs", []), f"{p}.related_bureau_programs", related),
        photos=r.each(o.get("photos", []), f"{p}.photos", photo),
        notes=r.texts(o.get("notes", []), f"{p}.notes"),
        uid=r.text(o.get("uid"), f"{p}.uid", optional=True),
    )


def _line_item(r: _Reader, value: Any, path: str) -> LineItem:
    o = r.obj(value, path, _LINE_ITEM, {"number", "name", "amount"})
    name = str(r.text(o["name"], f"{path}.name"))
    p = f"{path}（{name}）"
    marker = r.text(o.get("marker"), f"{p}.marker", optional=True)
    if marker is not None and marker not in MARKERS:
        raise r.fail(f"{p}.marker", f"区分は「新」「拡」または null です（{marker!r}）")
    return LineItem(
        number=r.number(o["number"], f"{p}.number"),
        name=name,
        amount=int(r.integer(o["amount"], f"{p}.amount")),
        marker=marker,
        activities=r.texts(o.get("activities", []), f"{p}.activities"),
        prior=r.integer(o.get("prior"), f"{p}.prior", optional=True),
        sections=r.names(o["sections"], f"{p}.sections") if o.get("sections") is not None else None,
        uid=r.text(o.get("uid"), f"{p}.uid", optional=True),
    )


# --------------------------------------------------------------------------- budget: dump

def dump_budget(budget: Budget, *, with_ids: bool = False) -> dict[str, Any]:
    """The interchange form of a budget. `with_ids` adds each program's and item's uid."""
    out: dict[str, Any] = {
        "format": BUDGET_FORMAT,
        "ward": budget.ward,
        "city": budget.city,
        "fiscal_year": budget.fiscal_year,
        "prior_fiscal_year": budget.prior_fiscal_year,
        "unit": budget.unit,
        "title": budget.title,
    }
    if len(budget.meetings) == 1:
        out["meeting"] = _dump_meeting(budget.meetings[0])
    elif budget.meetings:
        out["meetings"] = [_dump_meeting(m) for m in budget.meetings]
    # Written only when the classes differ from what the categories and defaults imply.
    flags = [(bc.name, bc.in_total, bc.indicators_required) for bc in budget.budget_classes]
    implied = [(d.name, d.in_total, d.indicators_required) for d in map(default_class, _class_order(budget))]
    if flags != implied:
        out["budget_classes"] = [
            {"name": bc.name, "in_total": bc.in_total, "indicators_required": bc.indicators_required}
            for bc in budget.budget_classes
        ]
    if budget.summary is not None:
        out["summary"] = [_dump_summary(s) for s in budget.summary]
    if budget.summary_notes is not None:
        out["summary_notes"] = list(budget.summary_notes)
    out["categories"] = [
        {"code": c.code, "name": c.name, "budget_class": c.budget_class,
         "programs": [_dump_program(p, with_ids) for p in c.programs]}
        for c in budget.categories
    ]
    if budget.overview is not None:
        out["overview"] = budget.overview
    if budget.uncertain is not None:
        out["uncertain"] = list(budget.uncertain)
    return out


def _class_order(budget: Budget) -> list[str]:
    names: list[str] = []
    for c in budget.categories:
        if c.budget_class not in names:
            names.append(c.budget_class)
    return names


def _dump_meeting(m: Meeting) -> dict[str, Any]:
    out: dict[str, Any] = {"title": m.title, "date": m.date.isoformat()}
    if m.start_time is not None:
        out["start_time"] = m.start_time.strftime("%H:%M")
    out["venue"] = m.venue
    agenda = []
    for a in m.agenda:
        item: dict[str, Any] = {"number": a.number, "title": a.title}
        if a.items:
            subs = []
            for s in a.items:
                sub: dict[str, Any] = {"title": s.title}
                if s.presenter is not None:
                    sub["presenter"] = s.presenter
                if s.material is not None:
                    sub["material"] = s.material
                subs.append(sub)
            item["items"] = subs
        agenda.append(item)
    out["agenda"] = agenda
    return out


def _dump_summary(s: SummaryRow) -> dict[str, Any]:
    out: dict[str, Any] = {"name": s.name, "current": s.current, "prior": s.prior}
    if s.change is not None:
        out["change"] = s.change
    if s.rate is not None:
        out["rate"] = str(s.rate)
    return out


def _dump_program(p: Program, with_ids: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": p.code,
        "number": p.number,
        "name": p.name,
        "sections": list(p.sections),
        "purpose": p.purpose,
        "current": p.current,
        "prior": p.prior,
        "change": p.printed_change if p.printed_change is not None else p.change,
        "line_items": [_dump_line_item(li, with_ids) for li in p.line_items],
        "indicators": [_dump_indicator(i) for i in p.indicators],
        "related_bureau_programs": [
            {"name": x.name, "bureau": x.bureau, "amount": x.amount} if x.amount is not None
            else {"name": x.name, "bureau": x.bureau}
            for x in p.related_bureau_programs
        ],
        "photos": [
            {"caption": ph.caption, "image": base64.b64encode(ph.image).decode("ascii")} if ph.image
            else {"caption": ph.caption}
            for ph in p.photos
        ],
        "notes": list(p.notes),
    }
    if with_ids and p.uid:
        out["uid"] = p.uid
    return out


def _dump_indicator(i: Indicator) -> dict[str, str]:
    """`actual` only once there is one, so a year without results dumps as before."""
    out = {"name": i.name, "target": i.target, "unit": i.unit}
    if i.actual:
        out["actual"] = i.actual
    return out


def _dump_line_item(li: LineItem, with_ids: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "number": li.number,
        "name": li.name,
        "amount": li.amount,
        "marker": li.marker,
        "activities": list(li.activities),
    }
    if li.prior is not None:
        out["prior"] = li.prior
    if li.sections is not None:
        out["sections"] = list(li.sections)
    if with_ids and li.uid:
        out["uid"] = li.uid
    return out


# --------------------------------------------------------------------------- review

def parse_review(data: Any, source: str = "JSON") -> Review:
    r = _Reader(source)
    top = r.obj(data, "", {"format", "ward", "fiscal_year", "title", "basic_goal", "areas", "uncertain"},
                {"format", "ward", "fiscal_year", "areas"})
    if top["format"] != REVIEW_FORMAT:
        raise r.fail("format", f"形式名が「{REVIEW_FORMAT}」ではありません（{top['format']!r}）")
    try:
        year = check_fiscal_year(top["fiscal_year"])
    except ValueError as e:
        raise r.fail("fiscal_year", str(e)) from None

    def row(v: Any, p: str) -> ReviewRow:
        o = r.obj(v, p, {"sections", "plan", "results", "programs"})
        return ReviewRow(r.texts(o.get("sections", []), f"{p}.sections"), r.texts(o.get("plan", []), f"{p}.plan"),
                         r.texts(o.get("results", []), f"{p}.results"),
                         tuple(ProgramLink(label) for label in r.names(o.get("programs", []), f"{p}.programs")))

    def initiative(v: Any, p: str) -> ReviewInitiative:
        o = r.obj(v, p, {"title", "rows"}, {"title"})
        return ReviewInitiative(str(r.text(o["title"], f"{p}.title")), r.each(o.get("rows", []), f"{p}.rows", row))

    def area(v: Any, p: str) -> ReviewArea:
        o = r.obj(v, p, {"number", "name", "initiatives"}, {"number", "name"})
        return ReviewArea(r.number(o["number"], f"{p}.number"), str(r.text(o["name"], f"{p}.name")),
                          r.each(o.get("initiatives", []), f"{p}.initiatives", initiative))

    return Review(
        ward=str(r.text(top["ward"], "ward")),
        fiscal_year=year,
        title=str(r.text(top.get("title", ""), "title")),
        basic_goal=str(r.text(top.get("basic_goal", ""), "basic_goal")),
        areas=r.each(top["areas"], "areas", area),
        uncertain=r.texts(top["uncertain"], "uncertain") if top.get("uncertain") is not None else None,
    )


def _dump_review_row(row: ReviewRow) -> dict[str, Any]:
    """`programs` only when the row names some, so a review without links dumps as before."""
    out: dict[str, Any] = {"sections": list(row.sections), "plan": list(row.plan), "results": list(row.results)}
    if row.programs:
        out["programs"] = [link.label for link in row.programs]
    return out


def dump_review(review: Review) -> dict[str, Any]:
    out: dict[str, Any] = {
        "format": REVIEW_FORMAT,
        "ward": review.ward,
        "fiscal_year": review.fiscal_year,
        "title": review.title,
        "basic_goal": review.basic_goal,
        "areas": [
            {"number": a.number, "name": a.name, "initiatives": [
                {"title": i.title, "rows": [_dump_review_row(row) for row in i.rows]}
                for i in a.initiatives]}
            for a in review.areas
        ],
    }
    if review.uncertain is not None:
        out["uncertain"] = list(review.uncertain)
    return out
