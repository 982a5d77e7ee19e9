"""査定状況 / 新旧対照表: a named version against another version or the working year, written as PDF, Excel or CSV."""

from __future__ import annotations

from pathlib import Path

from asahi_desk.domain import comparison as cmp
from asahi_desk.domain.errors import InputError
from asahi_desk.domain.fiscal import check_fiscal_year
from asahi_desk.reports.excel_export import UnwritableText
from asahi_desk.services.output_files import write_atomic
from asahi_desk.services.versions import VersionService
from asahi_desk.store import repository as repo
from asahi_desk.store.unit_of_work import SessionFactory, read_only

WORKING = "現在"  # the label of the working year in the outputs
FORMATS = (".pdf", ".xlsx", ".csv")


class ComparisonService:
    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions
        self._versions = VersionService(sessions)

    def compare(self, year: int, from_name: str, to_name: str | None = None) -> cmp.Comparison:
        """from_name's version against to_name's, or against the working year when to_name is None."""
        year = check_fiscal_year(year)
        old = self._versions.budget(year, from_name)
        if to_name is None:
            with read_only(self._sessions) as s:
                new = repo.load_budget(s, repo.get_fiscal_year(s, year))
        else:
            new = self._versions.budget(year, to_name)
        return cmp.compare(old, new, from_name, to_name or WORKING)

    def ward(self, year: int) -> str:
        with read_only(self._sessions) as s:
            return repo.get_fiscal_year(s, check_fiscal_year(year)).ward.name

    def export(self, year: int, from_name: str, to_name: str | None, out: Path) -> Path:
        """The comparison in the format the file's suffix names, written whole or not at all."""
        out = Path(out)
        suffix = out.suffix.lower()
        if suffix not in FORMATS:
            raise InputError(f"出力ファイルの拡張子は {'・'.join(FORMATS)} のどれかにしてください", str(out))
        result = self.compare(year, from_name, to_name)
        if suffix == ".pdf":
            from asahi_desk.reports.pdf.comparison import comparison_pdf  # reportlab only when asked

            data = comparison_pdf(result, self.ward(year))
        elif suffix == ".xlsx":
            from asahi_desk.reports.comparison_tables import comparison_xlsx

            try:
                data = comparison_xlsx(result, self.ward(year))
            except UnwritableText as e:  # control characters an older database may hold
                raise InputError(str(e)) from None
        else:
            from asahi_desk.reports.comparison_tables import comparison_csv

            data = comparison_csv(result)
        write_atomic(out, data)
        return out
