"""前年度Excel取込 wizard: file -> sheet -> header and column mapping -> preview with per-row status -> import.

Reading the workbook runs on a worker thread (ui/workers.py) behind a QProgressDialog (a 20,000-row sheet takes seconds);
the wizard holds only the service's plain preview data, never ORM objects.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from asahi_desk.domain.errors import AsahiError
from asahi_desk.domain.fiscal import fiscal_year_both, fiscal_year_label, fiscal_year_of
from asahi_desk.domain.money import format_amount
from asahi_desk.ui.file_dialogs import ask_open_file
from asahi_desk.ui.workers import Cancelled, run_in_thread

PAGE_FILE, PAGE_SHEET, PAGE_MAPPING, PAGE_PREVIEW = range(4)
SKIP = "__skip__"
UNDECIDED = "__undecided__"
STATUS_TEXT = {"matched": "一致", "new": "行なし（変更せず）", "unmatched": "該当なし", "conflicting": "競合",
               "skipped": "取り込まない"}
DECIDE_COLOUR = QColor("#fff3c4")  # rows the clerk must decide
PREVIEW_COLUMNS = ("行", "施策", "事業名（Excel）", "金額（千円）", "状態", "取り込み先の事業")
RESTORE_COLUMNS = ("No.", "施策", "事業名", "予算額（千円）", "前年度額（千円）", "作成する年度")


def today_fiscal_year() -> int:
    """The Japanese fiscal year of today (April to March)."""
    import datetime as dt

    return fiscal_year_of(dt.date.today())


def _error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)  # messages quote the clerk's cells: never rich text
    label.setStyleSheet("color: #b00020;")
    label.hide()
    return label


def _show(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def _rich_lines(lines: list[str]) -> str:
    """Cell text for a tooltip (rich text): escaped, so '<b>x</b>' in a cell shows as typed; one per line."""
    return "<qt>" + "<br>".join(html.escape(line) for line in lines) + "</qt>" if lines else ""


def sample_values(sample: Any, col: int, count: int = 3) -> list[str]:
    """The first few non-blank values below the header in a column (one line each), so a column with a
    blank or merged header can be recognised."""
    out: list[str] = []
    for values in sample or ():
        v = values[col - 1] if col <= len(values) else None
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        raw = str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
        text = " ".join(raw.split())
        out.append(text if len(text) <= 24 else text[:23] + "…")
        if len(out) == count:
            break
    return out


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setObjectName("filePage")
        self.setTitle("1. ファイルを選ぶ")
        self.setSubTitle("前年度の予算が載った Excel ブック（.xlsx）と、前年度額を埋める年度を選びます。")
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("excelFileEdit")
        self.path_edit.textChanged.connect(self.completeChanged)
        self.path_edit.editingFinished.connect(self.suggest_year)
        self.years: list[int] = []
        self.current: int | None = None
        self.year_chosen = False  # the clerk picked a year: a workbook chosen later does not change it
        browse = QPushButton("参照…")
        browse.setObjectName("excelBrowseButton")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.year_combo = QComboBox()
        self.year_combo.setObjectName("fiscalYearCombo")
        self.year_combo.activated.connect(lambda _i: setattr(self, "year_chosen", True))
        self.year_note = QLabel()
        self.year_note.setObjectName("fiscalYearNote")
        self.year_note.setWordWrap(True)
        self.year_note.setTextFormat(Qt.TextFormat.PlainText)
        self.error = _error_label("fileError")
        form = QFormLayout()
        form.addRow("ファイル", row)
        form.addRow("前年度額を埋める年度", self.year_combo)
        form.addRow("", self.year_note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def set_years(self, years: list[int], current: int | None, suggested: int | None = None) -> None:
        """The years whose prior amounts can be filled, the one the workbook's year labels point to
        (`suggested`, services ExcelImportService.default_year) chosen. An empty database (first start)
        has none: it is offered the suggested year and the years around it (this fiscal year only when
        no workbook names one); importing then creates the chosen year (see services/excel_import_plan.py)."""
        self.years, self.current = list(years), current
        self.year_combo.clear()
        self.empty_database = not years
        if suggested in years:
            current = suggested
        if not years:
            centre = suggested or current or today_fiscal_year()
            years = [centre - 1, centre, centre + 1]
            current = centre
        for y in years:
            label = fiscal_year_both(y) + ("（新しく作成）" if self.empty_database else "")
            self.year_combo.addItem(label, y)
        if current in years:
            self.year_combo.setCurrentIndex(years.index(current))
        elif years:
            self.year_combo.setCurrentIndex(len(years) - 1)

    def _browse(self) -> None:
        path = ask_open_file(self, "Excel ブックを選ぶ", "Excel ブック (*.xlsx *.xlsm);;すべてのファイル (*)")
        if path:
            self.path_edit.setText(path)
            self.suggest_year()

    def suggest_year(self) -> None:
        """Choose the target year from the workbook's year labels (as the CLI without --fiscal-year),
        unless the clerk already chose one; a workbook that cannot be read is reported on 次へ."""
        text = self.path_edit.text().strip()
        if self.year_chosen or not text or not Path(text).is_file():
            return
        svc = self.w.services.excel_import
        try:
            summary = run_in_thread(self, "ブックを確認しています…", lambda _p: svc.inspect(Path(text)))
        except (AsahiError, Cancelled):
            return
        suggested = svc.default_year(summary)
        self.set_years(self.years, self.current, suggested)
        self.year_note.setText(f"ブックの年度ラベルから{fiscal_year_both(suggested)}を選びました" if suggested else "")

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return bool(self.path_edit.text().strip()) and self.year_combo.count() > 0

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        path = Path(self.path_edit.text().strip())
        svc = self.w.services.excel_import
        try:
            year = int(self.year_combo.currentData())
            self.w.summary = run_in_thread(self, "ブックを確認しています…", lambda _p: svc.inspect(path, year))
            try:  # the service decides, as for the CLI; a restore is chosen on the next page
                svc.plan(self.w.summary, year, create_prior=self.empty_database)
            except AsahiError as refused:
                if self.w.summary.detail_year is None:
                    raise
                try:
                    svc.plan(self.w.summary, year, restore=True)
                except AsahiError:
                    raise refused from None
        except AsahiError as e:
            _show(self.error, str(e))
            return False
        _show(self.error, "")
        self.w.path = path
        self.w.fiscal_year = int(self.year_combo.currentData())
        return True


class SheetPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setObjectName("sheetPage")
        self.setTitle("2. シートを選ぶ")
        self.setSubTitle("予算の表らしいシートを選んであります。違う場合は選び直してください。")
        self.sheets = QListWidget()
        self.sheets.setObjectName("sheetList")
        self.sheets.currentRowChanged.connect(self.completeChanged)
        self.restore = QCheckBox()
        self.restore.setObjectName("restoreCheck")
        self.restore.hide()
        self.error = _error_label("sheetError")
        layout = QVBoxLayout(self)
        layout.addWidget(self.sheets, 1)
        layout.addWidget(self.restore)
        layout.addWidget(self.error)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        s = self.w.summary
        self.sheets.clear()
        for sheet in s.sheets:
            size = f"{sheet.info.rows:,} 行" if sheet.info.rows else "大きさ不明"
            hint = "予算の表らしい" if sheet.score else "表が見つからない"
            item = QListWidgetItem(f"{sheet.info.name}（{size}・{hint}）")
            item.setData(Qt.ItemDataRole.UserRole, sheet.info.name)
            self.sheets.addItem(item)
            if sheet.info.name == s.suggested:
                self.sheets.setCurrentItem(item)
        svc = self.w.services.excel_import
        try:
            restore_plan = svc.plan(s, self.w.fiscal_year, restore=True) if s.detail_year is not None else None
            why = ""
        except AsahiError as e:
            restore_plan, why = None, getattr(e, "detail", str(e))
        self.restore.setVisible(s.detail_year is not None)
        self.restore.setEnabled(restore_plan is not None)
        self.restore.setToolTip(html.escape(why))
        # As the CLI: a restore only when asked (--restore); otherwise the chosen year's prior amounts are
        # filled from the list sheet, or the chosen new year is made from it.
        self.restore.setChecked(False)
        if s.detail_year is not None:
            also = (f"し、{fiscal_year_both(self.w.fiscal_year)}を繰り越しで作成する"
                    if restore_plan is not None and restore_plan.roll_over else "する")
            state = "" if restore_plan is not None else "（できません: 理由はツールチップ）"
            if s.detail_year in self.w.services.budgets.fiscal_years():
                state = "（この年度は既にあるため復元できません）"
            self.restore.setText(f"Excel 出力の詳細シートから{fiscal_year_both(s.detail_year)}をまるごと復元{also}{state}")

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return self.restore.isChecked() or self.sheets.currentItem() is not None

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        w = self.w
        svc = w.services.excel_import
        try:
            w.plan = svc.plan(w.summary, w.fiscal_year, restore=self.restore.isChecked(),
                              create_prior=w.file_page.empty_database)
            if self.restore.isChecked():
                w.restore_preview = run_in_thread(self, "詳細シートを読んでいます…",
                                                  lambda _p: svc.restore_preview(w.path, w.plan))
                _show(self.error, "")
                return True
            self.w.sheet = str(self.sheets.currentItem().data(Qt.ItemDataRole.UserRole))
            self.w.header = svc.header(self.w.path, self.w.sheet)
        except AsahiError as e:
            _show(self.error, str(e))
            return False
        _show(self.error, "")
        return True

    def nextId(self) -> int:  # noqa: N802 - Qt override
        return PAGE_PREVIEW if self.restore.isChecked() else PAGE_MAPPING


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setObjectName("mappingPage")
        self.setTitle("3. 見出しと列の対応")
        self.setSubTitle("見出しの行と、各列が何を表すかを確かめてください（確定した対応は次回も使います）。")
        self.header_spin = QSpinBox()
        self.header_spin.setObjectName("headerRowSpin")
        self.header_spin.setRange(1, 200)
        self.header_spin.valueChanged.connect(self._reload_header)
        self.unit_combo = QComboBox()
        self.unit_combo.setObjectName("unitCombo")
        self.unit_combo.addItem("千円", "千円")
        for unit in ("円", "万円", "百万円"):
            self.unit_combo.addItem(f"{unit}（千円に換算・千円未満四捨五入）", unit)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("mappingTable")
        self.table.setHorizontalHeaderLabels(["列", "見出し", "項目", "データの例"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.notes = QLabel()
        self.notes.setObjectName("mappingNotes")
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.error = _error_label("mappingError")
        form = QFormLayout()
        form.addRow("見出しの行", self.header_spin)
        form.addRow("金額の単位", self.unit_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.notes)
        layout.addWidget(self.error)
        self._loading = False

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        self._loading = True
        self.header_spin.setValue(self.w.header.row)
        self._loading = False
        self._fill()

    def _reload_header(self, row: int) -> None:
        if self._loading:
            return
        try:
            self.w.header = self.w.services.excel_import.header(self.w.path, self.w.sheet, row)
        except AsahiError as e:
            _show(self.error, str(e))
            return
        _show(self.error, "")
        self._fill()

    def _fill(self) -> None:
        from asahi_desk.services.excel_import import FIELDS

        mapping, notes, remembered = self.w.services.excel_import.propose(self.w.header, self.w.fiscal_year)
        if remembered:
            notes = ["前回確定した列の対応を使っています", *notes]
        self.notes.setText("\n".join(notes))
        self.unit_combo.setCurrentIndex(max(self.unit_combo.findData(mapping.unit), 0))
        by_col = {col: name for name, col in mapping.columns.items()}
        labels = self.w.header.labels
        self.table.setRowCount(len(labels))
        for i, label in enumerate(labels, start=1):
            from asahi_desk.importers.excel.cells import column_letter

            self.table.setItem(i - 1, 0, QTableWidgetItem(column_letter(i)))
            self.table.setItem(i - 1, 1, QTableWidgetItem(label))
            combo = QComboBox()
            combo.setObjectName(f"fieldCombo{i}")
            combo.addItem("（使わない）", "")
            for key, text in FIELDS.items():
                combo.addItem(text, key)
            combo.setCurrentIndex(max(combo.findData(by_col.get(i, "")), 0))
            self.table.setCellWidget(i - 1, 2, combo)
            samples = sample_values(self.w.header.sample, i)
            item = QTableWidgetItem("\n".join(samples))
            item.setToolTip(_rich_lines(samples))
            self.table.setItem(i - 1, 3, item)
        self.table.resizeColumnToContents(0)
        self.table.setColumnWidth(1, 140)
        self.table.setColumnWidth(2, 220)
        self.table.resizeRowsToContents()

    def mapping(self) -> Any:
        from asahi_desk.services.excel_import import Mapping

        columns: dict[str, int] = {}
        for r in range(self.table.rowCount()):
            key = self.table.cellWidget(r, 2).currentData()
            if key and key not in columns:
                columns[key] = r + 1
        return Mapping(self.header_spin.value(), columns, str(self.unit_combo.currentData()))

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        mapping = self.mapping()
        chosen = [self.table.cellWidget(r, 2).currentData() for r in range(self.table.rowCount())]
        twice = sorted({k for k in chosen if k and chosen.count(k) > 1})
        if twice:
            _show(self.error, "同じ項目を複数の列に割り当てています: " + "、".join(twice))
            return False
        w = self.w
        try:
            w.preview = run_in_thread(self, "シートを読んでいます…", lambda progress: w.services.excel_import.preview(
                w.path, w.fiscal_year, sheet=w.sheet, mapping=mapping, progress=progress))
        except Cancelled:
            _show(self.error, "読み込みを中止しました")
            return False
        except AsahiError as e:
            _show(self.error, str(e))
            return False
        _show(self.error, "")
        return True


class PreviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setObjectName("previewPage")
        self.setTitle("4. 確認して取り込む")
        self.summary = QLabel()
        self.summary.setObjectName("previewSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.problems = QListWidget()
        self.problems.setObjectName("problemList")
        self.problems.setMaximumHeight(110)
        self.problems.setWordWrap(True)
        self.notes = QListWidget()  # every note and the sheet's totals against the rows read (scrolls)
        self.notes.setObjectName("noteList")
        self.notes.setMaximumHeight(120)
        self.notes.setWordWrap(True)
        self.accept_totals = QCheckBox("シートの合計行と読んだ行の合計が合わないことを確かめました（このまま取り込む）")
        self.accept_totals.setObjectName("acceptTotalsCheck")
        self.accept_totals.hide()
        self.accept_totals.toggled.connect(self.completeChanged)
        self.table = QTableWidget(0, len(PREVIEW_COLUMNS))
        self.table.setObjectName("previewTable")
        self.table.setHorizontalHeaderLabels(list(PREVIEW_COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        # row heights follow the name column's width (a two-line name is shown whole, others stay one line)
        self.table.horizontalHeader().sectionResized.connect(
            lambda col, _old, _new: self.table.resizeRowsToContents() if col == 2 else None)
        self.create_prior = QCheckBox()
        self.create_prior.setObjectName("createPriorCheck")
        self.error = _error_label("previewError")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems)
        layout.addWidget(self.accept_totals)
        layout.addWidget(self.notes)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.create_prior)
        layout.addWidget(self.error)
        self.create_prior.toggled.connect(self.completeChanged)
        self.setButtonText(QWizard.WizardButton.FinishButton, "取り込む")

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        w = self.w
        self.table.setRowCount(0)
        self.problems.clear()
        self.notes.clear()
        self.accept_totals.setChecked(False)
        self.accept_totals.hide()
        _show(self.error, "")
        if w.restoring():
            self._show_restore(w.restore_preview)
            return
        self.table.setHorizontalHeaderLabels(list(PREVIEW_COLUMNS))
        p = w.preview
        counts = p.counts()
        self.summary.setText(
            f"「{p.sheet}」シート（見出し {p.header.row}行・単位 {p.mapping.unit}）→ {fiscal_year_both(p.fiscal_year)}の前年度額\n"
            f"一致 {counts['matched']}　該当なし {counts['unmatched']}　競合 {counts['conflicting']}　"
            f"前年度の行なし {counts['new']}　読み飛ばし {p.skipped_rows} 行　問題 {len(p.problems)} 件\n"
            + p.total_lines()[0])
        mismatches = p.total_mismatches()
        self.problems.setVisible(bool(p.problems or mismatches))
        for line in p.problem_lines():
            self.problems.addItem(line)
        for check in mismatches:
            item = QListWidgetItem(check.line(p.sheet))
            item.setForeground(QColor("#b00020"))
            self.problems.addItem(item)
        self.accept_totals.setVisible(bool(mismatches))
        for line in p.total_lines()[1:]:
            self.notes.addItem(f"合計: {line}")
        for note in p.notes:
            self.notes.addItem(f"注意: {note}")
        self.notes.setVisible(self.notes.count() > 0)
        if self.notes.count():
            self.notes.setFixedHeight(min(120, self.notes.sizeHintForRow(0) * self.notes.count() + 8))
        years = w.services.budgets.fiscal_years()
        prior = p.fiscal_year - 1
        self.create_prior.show()
        if not p.target_exists:  # first start: both years are made, there is no other way to import
            self.create_prior.setEnabled(False)
            self.create_prior.setChecked(True)
            self.create_prior.setText(f"{fiscal_year_both(prior)}をこのシートから作成し、"
                                      f"{fiscal_year_both(p.fiscal_year)}を繰り越しで作成する")
        else:
            self.create_prior.setEnabled(prior not in years)
            self.create_prior.setChecked(False)
            self.create_prior.setText(f"{fiscal_year_both(prior)}の事業も作成する"
                                      + ("（既にあります）" if prior in years else ""))
        self.table.setRowCount(len(p.rows))
        for i, row in enumerate(p.rows):
            rec = row.record
            cat = rec.category if rec else None
            values = [str(rec.row) if rec else "", f"{cat.code or ''} {cat.name}".strip() if cat else "",
                      rec.name if rec else "", format_amount(rec.amount) if rec else "", STATUS_TEXT.get(row.status, row.status)]
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                if col in (0, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if row.needs_decision:
                    item.setToolTip(html.escape(row.reason))
                    item.setBackground(DECIDE_COLOUR)
                self.table.setItem(i, col, item)
            if rec is None:
                item = QTableWidgetItem(row.target.label if row.target else "")
                item.setToolTip("この事業に対応する行がありません。前年度額は変更しません")
                self.table.setItem(i, 5, item)
                continue
            combo = QComboBox()
            combo.setObjectName(f"targetCombo{rec.row}")
            if row.needs_decision:
                combo.addItem("（選んでください）", UNDECIDED)
            combo.addItem("（取り込まない）", SKIP)
            for t in p.targets:
                combo.addItem(t.label, t.uid)
            if row.target is not None:
                combo.setCurrentIndex(combo.findData(row.target.uid))
            combo.currentIndexChanged.connect(self.completeChanged)
            self.table.setCellWidget(i, 5, combo)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(1, min(self.table.columnWidth(1), 160))
        self.table.setColumnWidth(5, 300)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()

    def _show_restore(self, rp: Any) -> None:
        """The restore's confirmation: what it creates, program by program (as the detail sheets hold them)."""
        self.summary.setText("次のとおり作成します。\n" + "\n".join(rp.lines))
        self.problems.hide()
        self.notes.hide()
        self.create_prior.hide()
        self.table.setHorizontalHeaderLabels(list(RESTORE_COLUMNS))
        years = "・".join(fiscal_year_label(y) for y in rp.plan.created_years(self.w.services.budgets.fiscal_years()))
        rows = [(c, p) for c in rp.budget.categories for p in c.programs]
        self.table.setRowCount(len(rows))
        for i, (c, p) in enumerate(rows):
            values = (str(p.number), c.label, p.name, format_amount(p.current), format_amount(p.prior), years)
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                if col in (0, 3, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, col, item)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(1, min(self.table.columnWidth(1), 160))
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()

    def decisions(self) -> dict[int, str | None]:
        """Sheet row -> chosen program uid (None: skip) for every row whose choice differs from the match."""
        out: dict[int, str | None] = {}
        for i, row in enumerate(self.w.preview.rows):
            combo = self.table.cellWidget(i, 5)
            if row.record is None or combo is None:
                continue
            data = combo.currentData()
            if data == UNDECIDED:
                continue
            uid = None if data == SKIP else str(data)
            if row.target is None or uid != row.target.uid:
                out[row.record.row] = uid
        return out

    def undecided(self) -> int:
        count = 0
        for i, row in enumerate(self.w.preview.rows):
            combo = self.table.cellWidget(i, 5)
            if combo is not None and combo.currentData() == UNDECIDED:
                if row.status == "unmatched" and self.create_prior.isChecked():
                    continue  # becomes a program of the prior year only
                count += 1
        return count

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        if self.w.restoring():
            return True
        p = self.w.preview
        return (p is not None and not p.problems and self.undecided() == 0
                and (not p.total_mismatches() or self.accept_totals.isChecked()))

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        w = self.w
        try:
            if w.restoring():
                w.result = w.services.excel_import.restore(w.path, int(w.plan.restore_year),
                                                           roll_over=w.plan.roll_over).value
            else:
                w.result = w.services.excel_import.apply(w.preview, self.decisions(),
                                                         create_prior=self.create_prior.isChecked(),
                                                         accept_totals=self.accept_totals.isChecked()).value
        except AsahiError as e:
            lines = getattr(e, "lines", [])
            _show(self.error, "\n".join([str(e), *lines[:10]]))
            return False
        return True


class ImportWizard(QWizard):
    """データ → 前年度Excel取込…; construct with a Services object (no main window needed)."""

    def __init__(self, services: Any, fiscal_year: int | None = None, parent: QWidget | None = None,
                 path: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("excelImportWizard")
        self.setWindowTitle("前年度Excel取込")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.services = services
        self.path: Path | None = path
        self.fiscal_year = fiscal_year or 0
        self.summary: Any = None
        self.sheet = ""
        self.header: Any = None
        self.preview: Any = None
        self.plan: Any = None  # the service's decision (services/excel_import_plan.py)
        self.restore_preview: Any = None
        self.result: Any = None
        self.file_page = FilePage(self)
        self.sheet_page = SheetPage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        for page_id, page in ((PAGE_FILE, self.file_page), (PAGE_SHEET, self.sheet_page),
                              (PAGE_MAPPING, self.mapping_page), (PAGE_PREVIEW, self.preview_page)):
            self.setPage(page_id, page)
        self.file_page.set_years(services.budgets.fiscal_years(), fiscal_year)
        if path is not None:
            self.file_page.path_edit.setText(str(path))
            self.file_page.suggest_year()
        self.setButtonText(QWizard.WizardButton.NextButton, "次へ >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< 戻る")
        self.setButtonText(QWizard.WizardButton.CancelButton, "キャンセル")
        self.resize(900, 640)

    def restoring(self) -> bool:
        return self.plan is not None and self.plan.kind == "restore" and self.restore_preview is not None
