"""The sheet text: sheet names, labels and messages the workbooks show, in one place."""

from __future__ import annotations

SHEET_GUIDE = "说明"
SHEET_RECORDS = "考评记录"
SHEET_EVENTS = "事件"
SHEET_RESULTS = "考评结果"
SHEET_CHOICES = "选项"
SHEET_REVIEWS = "年度评议"  # the annual workbook (annual)
PERIOD_LABEL = "考评月份"
YEAR_LABEL = "考评年度"  # in place of PERIOD_LABEL: the workbook is an annual one
OURS = "请使用 gridscore export 生成、用 Excel 或 WPS 填好后保存为 .xlsx 的文件"
