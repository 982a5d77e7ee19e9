"""What the window says of a database without a fiscal year (ui/empty_database.py has its page and dialog)."""

from __future__ import annotations

NO_YEAR = "このデータベースにはまだ年度がありません。"
NO_YEAR_HINT = (f"{NO_YEAR}データ → 前年度Excel取込… で前年度の Excel から始めるか、"
                "データ → 空の年度を作成… で年度を作ってください")
