"""Excel export of one fiscal year: the 事業別一覧表 plus the detail sheets, written whole or not at all."""

from __future__ import annotations

from pathlib import Path

from asahi_desk.domain.errors import InputError
from asahi_desk.domain.fiscal import check_fiscal_year, fiscal_year_both
from asahi_desk.importers import json_format
from asahi_desk.reports import excel_export
from asahi_desk.services.output_files import write_atomic
from asahi_desk.store import repository as repo
from asahi_desk.store.unit_of_work import SessionFactory, read_only


class ExcelExportService:
    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions

    def workbook_bytes(self, fiscal_year: int) -> bytes:
        with read_only(self._sessions) as s:
            budget = repo.load_budget(s, repo.get_fiscal_year(s, check_fiscal_year(fiscal_year)))
        try:
            return excel_export.export_workbook(budget, json_format.dump_budget(budget, with_ids=True))
        except excel_export.UnwritableText as e:  # control characters an older database may hold
            raise InputError(str(e), fiscal_year_both(fiscal_year)) from None

    def export(self, fiscal_year: int, out: Path) -> Path:
        """Write the .xlsx whole or not at all."""
        data = self.workbook_bytes(fiscal_year)
        write_atomic(Path(out), data)
        return Path(out)
