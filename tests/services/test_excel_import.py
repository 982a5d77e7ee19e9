"""Prior-year import through the service: seed amounts, odd workbooks, decisions, one transaction."""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path

import pytest

from asahi_desk.app import Services
from asahi_desk.domain.errors import ConflictError, InputError
from asahi_desk.services.excel_import import DecisionNeeded, ImportProblems, TotalMismatch
from tests.importers.pdf_layout import pdf_list, yen_items
from tests.importers.workbooks import add_cached_value, plain_table, ward_list


def _zero_priors(budget_json: dict) -> dict:
    data = copy.deepcopy(budget_json)
    for c in data["categories"]:
        for p in c["programs"]:
            p["prior"] = 0
            p.pop("change", None)
    data.pop("summary", None)
    return data


def _seed_priors(budget_json: dict) -> dict[str, int]:
    return {p["name"]: p["prior"] for c in budget_json["categories"] for p in c["programs"]}


def _priors(services: Services, year: int = 2024) -> dict[str, int]:
    return {p.name: p.prior for p in services.budgets.get(year).programs()}


@pytest.fixture
def zeroed(empty_services: Services, budget_json: dict) -> Services:
    empty_services.budgets.load_data(_zero_priors(budget_json))
    return empty_services


@pytest.mark.parametrize("shape", [
    {}, {"header_row": 9}, {"yen": True}, {"text_amounts": True}, {"fullwidth": True}, {"extra_sheets": True},
])
def test_seed_shaped_list_imports_to_the_seed_priors(zeroed: Services, budget_json: dict, tmp_path: Path,
                                                     shape: dict) -> None:
    path = ward_list(budget_json, tmp_path / "r6.xlsx", **shape)
    preview = zeroed.excel_import.preview(path, 2024)
    assert preview.sheet == "事業別一覧表"
    assert preview.problems == ()
    counts = preview.counts()
    assert counts["matched"] == 27 and counts["unmatched"] == counts["conflicting"] == counts["new"] == 0
    op = zeroed.excel_import.apply(preview)
    result = op.value
    assert result.filled == 27
    assert op.changes.amounts and not op.changes.years and op.undo is None and op.operation_id is not None
    assert op.rows and {r.table for r in op.rows} == {"program"}
    assert _priors(zeroed) == _seed_priors(budget_json)
    # the history says what the import changed: one line per program whose prior moved, source import
    imported = [h for h in zeroed.history.entries(fiscal_year=2024) if h.source == "import"]
    assert len(imported) == 27 and {(h.field, h.old, h.label) for h in imported} == {("prior", 0, "前年度Excel取込")}
    if shape.get("yen"):
        assert any("千円に換算" in n for n in preview.notes)


def test_categories_read_from_merged_and_vertical_cells(zeroed: Services, budget_json: dict, tmp_path: Path) -> None:
    preview = zeroed.excel_import.preview(ward_list(budget_json, tmp_path / "r6.xlsx"), 2024)
    cats = {r.record.name: r.record.category for r in preview.rows if r.record}
    assert cats["災害に強い区づくり事業"].code == "Ⅰ" and cats["災害に強い区づくり事業"].name == "安全・安心"
    assert cats["地域の担い手応援事業"].name == "旭区で企画する主な区配事業"  # spelled down the column
    assert cats["区庁舎・区民利用施設管理費"].code is None
    sections = {r.record.name: r.record.sections for r in preview.rows if r.record}
    assert sections["災害に強い区づくり事業"] == ("総務課", "福祉保健課", "高齢・障害支援課")


def test_formula_without_cached_value_is_named(zeroed: Services, budget_json: dict, tmp_path: Path) -> None:
    path = ward_list(budget_json, tmp_path / "f.xlsx", prior_formula="=12000+321")
    before = _priors(zeroed)
    preview = zeroed.excel_import.preview(path, 2024)
    assert [p.line() for p in preview.problems] == [
        "「事業別一覧表」シート 6行 E列: 数式の計算結果が保存されていません（Excel で開いて上書き保存してから取り込んでください）"]
    with pytest.raises(ImportProblems):
        zeroed.excel_import.apply(preview)
    assert _priors(zeroed) == before


def test_formula_with_cached_value_uses_it(zeroed: Services, budget_json: dict, tmp_path: Path) -> None:
    path = ward_list(budget_json, tmp_path / "f.xlsx", prior_formula="=12000+321")
    add_cached_value(path, 1, "E6", 12321)
    preview = zeroed.excel_import.preview(path, 2024)
    assert preview.problems == ()
    zeroed.excel_import.apply(preview)
    assert _priors(zeroed)["災害に強い区づくり事業"] == 12321


def test_every_bad_cell_is_listed_and_nothing_written(zeroed: Services, tmp_path: Path) -> None:
    path = plain_table(tmp_path / "bad.xlsx", [
        ["Ⅰ-1", "災害に強い区づくり事業", "abc"],
        ["Ⅰ-2", "地域安全安心普及推進事業", "12.5"],
        ["Ⅰ-3", "ＤＶ対策事業", 909],
    ], ["事業コード", "事業名", "令和5年度予算"], header_row=3, title="令和5年度 予算")
    db = zeroed.db_path
    assert db is not None
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    preview = zeroed.excel_import.preview(path, 2024)
    assert preview.problem_lines() == [
        "「Sheet1」シート 4行 C列: 金額が数値ではありません（「abc」）",
        "「Sheet1」シート 5行 C列: 金額が整数ではありません（「12.5」）",
    ]
    with pytest.raises(ImportProblems) as e:
        zeroed.excel_import.apply(preview)
    assert e.value.lines == preview.problem_lines()
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest


def test_plain_table_any_column_order_codes_and_normalised_names(zeroed: Services, tmp_path: Path) -> None:
    path = plain_table(tmp_path / "plain.xlsx", [
        ["地域振興課", 10276, "Ⅰ－２", "地域安全安心普及推進事業（再掲）"],  # code wins; name has a note
        ["こども家庭支援課", "909", None, "ＤＶ 対策事業"],  # normalised name (NFKC, spaces)
        ["生活衛生課", "1,112", None, "安全で安心な食と生活環境支援事業"],
        ["総務課", 99, None, "廃止した事業"],
    ], ["担当課", "R5", "コード", "事業名"])
    preview = zeroed.excel_import.preview(path, 2024)
    how = {r.record.name: (r.status, r.how) for r in preview.rows if r.record}
    assert how["地域安全安心普及推進事業（再掲）"] == ("matched", "code")
    assert how["ＤＶ 対策事業"] == ("matched", "normalised")
    assert how["安全で安心な食と生活環境支援事業"] == ("matched", "name")
    assert how["廃止した事業"][0] == "unmatched"
    with pytest.raises(DecisionNeeded) as e:
        zeroed.excel_import.apply(preview)
    assert e.value.lines[0].startswith("「Sheet1」シート 5行: 該当なし: 「廃止した事業」")
    assert _priors(zeroed)["ＤＶ対策事業"] == 0
    unmatched_row = next(r.record.row for r in preview.rows if r.status == "unmatched" and r.record)
    zeroed.excel_import.apply(preview, {unmatched_row: None})
    priors = _priors(zeroed)
    assert priors["地域安全安心普及推進事業"] == 10276 and priors["ＤＶ対策事業"] == 909
    assert priors["災害に強い区づくり事業"] == 0  # a program no row matched keeps its prior


def test_two_rows_for_one_program_conflict_until_decided(zeroed: Services, tmp_path: Path) -> None:
    path = plain_table(tmp_path / "dup.xlsx", [["ＤＶ対策事業", 909], ["DV対策事業", 900]], ["事業名", "５年度"])
    preview = zeroed.excel_import.preview(path, 2024)
    assert [r.status for r in preview.rows if r.record] == ["conflicting", "conflicting"]
    with pytest.raises(DecisionNeeded):
        zeroed.excel_import.apply(preview)
    uid = next(t.uid for t in preview.targets if t.name == "ＤＶ対策事業")
    zeroed.excel_import.apply(preview, {2: uid, 3: None})
    assert _priors(zeroed)["ＤＶ対策事業"] == 909


def test_line_item_table_sums_per_program(zeroed: Services, tmp_path: Path) -> None:
    path = plain_table(tmp_path / "items.xlsx", [
        ["ＤＶ対策事業", "DV防止啓発", 500], [None, "相談窓口", 409],  # program name carried down (merged)
    ], ["事業名", "細事業名", "R5予算額"])
    preview = zeroed.excel_import.preview(path, 2024)
    [row] = [r for r in preview.rows if r.record]
    assert row.record.amount == 909 and row.record.rows == 2 and row.status == "matched"


def test_dry_run_writes_nothing_and_mapping_is_remembered(zeroed: Services, budget_json: dict, tmp_path: Path) -> None:
    path = ward_list(budget_json, tmp_path / "r6.xlsx")
    preview = zeroed.excel_import.preview(path, 2024)
    assert not preview.remembered
    op = zeroed.excel_import.apply(preview, dry_run=True)
    assert not op.rows and not op.changes.any and op.operation_id is None
    result = op.value
    assert result.dry_run and "試行" in result.describe()
    assert set(_priors(zeroed).values()) == {0}
    zeroed.excel_import.apply(preview)
    again = zeroed.excel_import.preview(path, 2024)
    assert again.remembered and again.mapping.columns == preview.mapping.columns


def test_create_prior_builds_the_prior_year_with_the_same_identities(zeroed: Services, budget_json: dict,
                                                                      tmp_path: Path) -> None:
    preview = zeroed.excel_import.preview(ward_list(budget_json, tmp_path / "r6.xlsx"), 2024)
    op = zeroed.excel_import.apply(preview, create_prior=True)
    assert op.changes.years and op.changes.structure and op.operation_id is not None
    result = op.value
    assert result.created_year == 2023
    prior = zeroed.budgets.get(2023)
    current = zeroed.budgets.get(2024)
    assert {p.name: p.current for p in prior.programs()} == _seed_priors(budget_json)
    assert {p.uid for p in prior.programs()} == {p.uid for p in current.programs()}
    assert [c.label for c in prior.categories][:2] == ["Ⅰ 安全・安心", "Ⅱ 地域の力"]
    assert prior.title == "令和５年度 旭区個性ある区づくり推進費の執行計画"
    with pytest.raises(ConflictError):
        zeroed.excel_import.apply(preview, create_prior=True)


def test_no_year_column_for_the_prior_year_is_explained(zeroed: Services, tmp_path: Path) -> None:
    from asahi_desk.domain.errors import InputError

    path = plain_table(tmp_path / "y.xlsx", [["ＤＶ対策事業", 909]], ["事業名", "令和3年度予算"])
    with pytest.raises(InputError, match="取り込む金額"):
        zeroed.excel_import.preview(path, 2024)


def _two_year_book(path: Path) -> Path:
    return plain_table(path, [["ＤＶ対策事業", 906, 909], ["街の美化運動事業", 432, 499]],
                       ["事業名", "６年度予算", "５年度予算"])


def test_remembered_mapping_follows_the_target_year(services: Services, tmp_path: Path) -> None:
    """Confirmed for 2025 (６年度予算 is its prior year), then previewed for 2024: ５年度予算 is read."""
    services.rollover.new_year(2024)
    book = _two_year_book(tmp_path / "r6.xlsx")
    first = services.excel_import.preview(book, 2025)
    assert first.mapping.col("amount") == 2
    services.excel_import.apply(first, {r.record.row: None for r in first.rows if r.status == "unmatched" and r.record})
    again = services.excel_import.preview(book, 2024)
    assert again.remembered and again.mapping.col("amount") == 3
    assert any("「６年度予算」列は令和6年度の金額" in n for n in again.notes)
    amounts = {r.record.name: r.record.amount for r in again.rows if r.record}
    assert amounts == {"ＤＶ対策事業": 909, "街の美化運動事業": 499}
    # a mapping the clerk chose against the labels is kept, but said
    from asahi_desk.importers.excel.headers import Mapping

    chosen = services.excel_import.preview(book, 2024, mapping=Mapping(1, {"name": 1, "amount": 2}))
    assert any("「６年度予算」列（令和6年度）を令和5年度の" in n for n in chosen.notes)


def test_negative_prior_amount_is_refused_and_nothing_written(zeroed: Services, tmp_path: Path) -> None:
    path = plain_table(tmp_path / "neg.xlsx", [["ＤＶ対策事業", "▲300"], ["街の美化運動事業", 499]], ["事業名", "R5"])
    db = zeroed.db_path
    assert db is not None
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    preview = zeroed.excel_import.preview(path, 2024)
    assert [p.line() for p in preview.problems] == [
        "「Sheet1」シート 2行 B列: 負の金額は取り込めません（「▲300」）。予算額・前年度額は0以上です"
        "（増▲減の列なら列の対応を直してください）"]
    with pytest.raises(ImportProblems):
        zeroed.excel_import.apply(preview)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest


def test_sheet_choice_follows_the_year(services: Services, tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    a = wb.active
    a.title = "令和５年度"
    a.append(["事業名", "５年度予算", "４年度予算"])
    a.append(["ＤＶ対策事業", 909, 900])
    b = wb.create_sheet("令和６年度")
    b.append(["事業名", "６年度予算", "５年度予算"])
    b.append(["ＤＶ対策事業", 906, 909])
    wb.save(tmp_path / "multi.xlsx")
    services.rollover.new_year(2024)
    svc = services.excel_import
    assert svc.inspect(tmp_path / "multi.xlsx", 2025).suggested == "令和６年度"
    assert svc.inspect(tmp_path / "multi.xlsx", 2024).suggested == "令和５年度"
    assert svc.preview(tmp_path / "multi.xlsx", 2025).sheet == "令和６年度"
    assert svc.preview(tmp_path / "multi.xlsx", 2024).sheet == "令和５年度"


def test_quotes_and_markers_match_by_normalised_name(zeroed: Services, tmp_path: Path) -> None:
    path = plain_table(tmp_path / "m.xlsx", [["「「旭ふれあい区民まつり」」", 3300], ["（拡）健康生活支援事業", 2686],
                                             ["【新規】ＤＶ対策事業", 909]], ["事業名", "R5"])
    preview = zeroed.excel_import.preview(path, 2024)
    assert [(r.status, r.how, r.target.name if r.target else None) for r in preview.rows if r.record] == [
        ("matched", "normalised", "旭ふれあい区民まつり"), ("matched", "normalised", "健康生活支援事業"),
        ("matched", "normalised", "ＤＶ対策事業")]


def test_create_prior_keeps_class_category_and_printed_number(zeroed: Services, tmp_path: Path) -> None:
    from tests.importers.test_excel_layouts import ward_layout

    book = ward_layout(tmp_path / "w.xlsx", "B3:D3")
    preview = zeroed.excel_import.preview(book, 2024)
    zeroed.excel_import.apply(preview, create_prior=True, decisions={
        r.record.row: None for r in preview.rows if r.status == "unmatched" and r.record})
    prior = zeroed.budgets.get(2023)
    assert [(c.code, c.name, c.budget_class, [(p.number, p.name, p.current) for p in c.programs])
            for c in prior.categories] == [
        ("Ⅰ", "安全・安心", "自主企画事業費", [(1, "災害に強い区づくり事業", 12321), (2, "ＤＶ対策事業", 909)]),
        ("Ⅱ", "地域の力", "自主企画事業費", [(1, "街の美化運動事業", 499), (2, "旭区広報事業", 3615)])]


def test_first_import_into_an_empty_database_creates_both_years(empty_services: Services, tmp_path: Path) -> None:
    """Last year's 事業別一覧表 (６年度予算 / ５年度予算) into an empty database for 2025: 2024 from the
    sheet (its prior amounts from ５年度予算), 2025 by rollover."""
    from tests.importers.test_excel_layouts import ward_layout

    book = ward_layout(tmp_path / "r6.xlsx", "D3")
    svc = empty_services.excel_import
    preview = svc.preview(book, 2025)
    assert not preview.target_exists and preview.problems == ()
    with pytest.raises(InputError, match="前年度の事業も作成する"):
        svc.apply(preview)
    result = svc.apply(preview, create_prior=True).value
    assert result.created_year == 2024 and "繰り越しで作成しました" in result.describe()
    assert empty_services.budgets.fiscal_years() == [2024, 2025]
    prior, new = empty_services.budgets.get(2024), empty_services.budgets.get(2025)
    assert prior.ward == "旭区" and prior.title == "令和６年度　旭区個性ある区づくり推進費"
    assert new.title == "令和７年度　旭区個性ある区づくり推進費"
    assert [(p.name, p.current, p.prior) for p in prior.programs()][:2] == [
        ("災害に強い区づくり事業", 11922, 12321), ("ＤＶ対策事業", 906, 909)]
    assert [(p.name, p.current, p.prior) for p in new.programs()][:2] == [
        ("災害に強い区づくり事業", 11922, 11922), ("ＤＶ対策事業", 906, 906)]
    assert {p.uid for p in prior.programs()} == {p.uid for p in new.programs()}


def test_first_import_pairs_new_year_amounts_by_program_not_by_order(empty_services: Services, tmp_path: Path) -> None:
    """Category rows interleaved (Ⅰ, Ⅱ, Ⅰ): 2024 groups them by category, and each 2025 program still
    starts from its own row's ７年度予算 (C事業 300, not B事業's 200)."""
    book = plain_table(tmp_path / "b.xlsx", [
        ["Ⅰ 安全", "A事業", 100, 10],
        ["Ⅱ 福祉", "B事業", 200, 20],
        ["Ⅰ 安全", "C事業", 300, 30],
    ], ["施策", "事業名", "令和７年度予算", "令和６年度予算"], title="令和６年度 旭区 事業別一覧表")
    svc = empty_services.excel_import
    svc.apply(svc.preview(book, 2025), create_prior=True)
    prior, new = empty_services.budgets.get(2024), empty_services.budgets.get(2025)
    assert [(c.name, p.name, p.current) for c in prior.categories for p in c.programs] == [
        ("安全", "A事業", 10), ("安全", "C事業", 30), ("福祉", "B事業", 20)]
    assert [(c.name, p.name, p.current, p.prior) for c in new.categories for p in c.programs] == [
        ("安全", "A事業", 100, 10), ("安全", "C事業", 300, 30), ("福祉", "B事業", 200, 20)]
    assert {p.uid for p in prior.programs()} == {p.uid for p in new.programs()}


def test_first_import_takes_the_ward_the_database_has(empty_services: Services, budget_json: dict,
                                                      tmp_path: Path) -> None:
    """A database with an older year of 瀬谷区: the created years are 瀬谷区's, whatever the sheet's title says."""
    empty_services.budgets.load_data({**budget_json, "fiscal_year": 2020, "prior_fiscal_year": 2019,
                                      "ward": "瀬谷区", "title": "令和２年度 瀬谷区"})
    book = plain_table(tmp_path / "b.xlsx", [["Ⅰ 安全", "A事業", 100, 10]],
                       ["施策", "事業名", "令和７年度予算", "令和６年度予算"], title="令和６年度 旭区 事業別一覧表")
    svc = empty_services.excel_import
    svc.apply(svc.preview(book, 2025), create_prior=True)
    created = empty_services.budgets.get(2024)
    assert (created.ward, created.city) == ("瀬谷区", "横浜市")


# ---- the ward's list copied from the PDF (second audit)

def _seed_programs(budget_json: dict) -> list[dict]:
    return [p for c in budget_json["categories"] for p in c["programs"]]


@pytest.fixture
def year2025(empty_services: Services, budget_json: dict) -> Services:
    """A database holding only 2025: the seed's programs with no prior amounts yet."""
    data = _zero_priors(budget_json)
    data["fiscal_year"], data["prior_fiscal_year"] = 2025, 2024
    data["title"] = data["title"].replace("令和６年度", "令和７年度")
    empty_services.budgets.load_data(data)
    return empty_services


def _sha(services: Services) -> str:
    return hashlib.sha256(services.db_path.read_bytes()).hexdigest()


def test_pdf_list_fills_every_prior_of_2025(year2025: Services, budget_json: dict, tmp_path: Path) -> None:
    preview = year2025.excel_import.preview(pdf_list(budget_json, tmp_path / "p.xlsx"), 2025)
    assert preview.counts()["matched"] == 27 and preview.problems == () and not preview.total_mismatches()
    lines = preview.total_lines()
    assert lines[0] == "読んだ金額の合計 877,287千円（27 行）"
    assert any("102,924千円 = 読んだ行（" in line for line in lines)
    year2025.excel_import.apply(preview)
    assert _priors(year2025, 2025) == {p["name"]: p["current"] for p in _seed_programs(budget_json)}


def test_pdf_list_creates_the_seed_year_in_an_empty_database(empty_services: Services, budget_json: dict,
                                                            tmp_path: Path) -> None:
    for flags in ((), ("totals",), ("rephead",)):
        path = pdf_list(budget_json, tmp_path / f"p{len(flags)}{''.join(flags)}.xlsx", *flags)
        db = tmp_path / f"e{''.join(flags)}.db"
        from asahi_desk.app import build_services

        services = build_services(db)
        try:
            preview = services.excel_import.preview(path, 2025)
            services.excel_import.apply(preview, create_prior=True)
            made = services.budgets.get(2024)
        finally:
            services.close()
        want = [(c["code"], c["name"], c["budget_class"], p["name"], p["current"], p["prior"])
                for c in budget_json["categories"] for p in c["programs"]]
        got = [(c.code, c.name, c.budget_class, p.name, p.current, p.prior) for c in made.categories for p in c.programs]
        assert got == want, flags
        assert sum(p.current for p in made.programs()) == 877287  # no subtotal became a program
        sections = {p.name: p.sections for p in made.programs()}
        assert sections["区庁舎・区民利用施設管理費"] == ("総務課", "地域振興課", "土木事務所")
        assert all("単位" not in s for secs in sections.values() for s in secs)


def test_total_mismatch_is_refused_until_accepted(year2025: Services, budget_json: dict, tmp_path: Path) -> None:
    preview = year2025.excel_import.preview(pdf_list(budget_json, tmp_path / "p.xlsx", "lost"), 2025)
    assert [(t.figure, t.read) for t in preview.total_mismatches()] == [(24431, 24195), (48626, 24195)]
    before = _sha(year2025)
    with pytest.raises(TotalMismatch) as e:
        year2025.excel_import.apply(preview)
    assert "差 24,431千円" in e.value.lines[1]
    assert _sha(year2025) == before
    year2025.excel_import.apply(preview, accept_totals=True)
    assert _priors(year2025, 2025)["統合事務費"] == 24195 and _priors(year2025, 2025)["統合事業費"] == 0


def test_new_in_the_older_column_fills_2025(year2025: Services, budget_json: dict, tmp_path: Path) -> None:
    preview = year2025.excel_import.preview(pdf_list(budget_json, tmp_path / "p.xlsx", "new"), 2025)
    assert preview.problems == () and any("「新規」" in n for n in preview.notes)
    year2025.excel_import.apply(preview)
    assert _priors(year2025, 2025)["ＤＶ対策事業"] == 906


def test_yen_line_items_fill_the_rounded_program_totals(year2025: Services, budget_json: dict, tmp_path: Path) -> None:
    preview = year2025.excel_import.preview(yen_items(budget_json, tmp_path / "y.xlsx"), 2025)
    year2025.excel_import.apply(preview)
    priors = _priors(year2025, 2025)
    assert priors["災害に強い区づくり事業"] == 11925  # 11,925,493円
    for p in _seed_programs(budget_json):
        n = max(len(p["line_items"]), 1)
        assert priors[p["name"]] == p["current"] + (n * 499 + 500) // 1000


def test_edited_list_of_an_export_is_not_silently_restored(services: Services, empty_services: Services,
                                                            tmp_path: Path) -> None:
    import openpyxl

    out = services.excel_export.export(2024, tmp_path / "r6.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb["事業別一覧表"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 3).value == "災害に強い区づくり事業")
    ws.cell(row, 4, 12000)
    wb.save(out)
    before = _sha(empty_services)
    with pytest.raises(ImportProblems) as e:
        empty_services.excel_import.restore(out, 2024)
    assert any(f"{row}行「災害に強い区づくり事業」: 予算額が 12,000千円ですが、詳細シートでは 11,922千円" in line
               for line in e.value.lines)
    assert _sha(empty_services) == before and empty_services.budgets.fiscal_years() == []


def test_a_restore_leaves_one_history_line_per_year(services: Services, empty_services: Services,
                                                    tmp_path: Path) -> None:
    out = services.excel_export.export(2024, tmp_path / "r6.xlsx")
    empty_services.clerk = "佐藤"
    restored = empty_services.excel_import.restore(out, 2024, roll_over=True)
    assert restored.operation_id is not None
    lines = sorted((h.fiscal_year, h.new, h.label, h.source, h.clerk) for h in empty_services.history.entries()
                   if h.fiscal_year in (2024, 2025))
    assert lines == [(2024, "2024年度 Excel から復元（r6.xlsx）", "Excel から復元", "import", "佐藤"),
                     (2025, "2025年度 新年度作成（令和6年度から）", "新年度作成（令和6年度から）", "import", "佐藤")]
