"""The sheet text: every name, label, hint, guide text and message the workbooks show, in one place.

Texts with blanks are ``str.format`` templates: the other modules fill them with
named values (``{month.label}``, ``{workers}``); a value that is not used by a
template is ignored, so a sheet can fill all of its templates from one dict.
"""

from __future__ import annotations

from ..xlsx_guard import RESAVE

# --- sheets, and the labels import finds the period by -----------------------------------

SHEET_GUIDE = "说明"
SHEET_RECORDS = "考评记录"
SHEET_EVENTS = "事件"
SHEET_RESULTS = "考评结果"
SHEET_CHOICES = "选项"
SHEET_REVIEWS = "年度评议"  # the annual workbook (annual)
PERIOD_LABEL = "考评月份"
YEAR_LABEL = "考评年度"  # in place of PERIOD_LABEL: the workbook is an annual one

# what the files an import writes are called (ImportSummary.noun)
NOUN_RECORDS = "考评记录"
NOUN_REVIEWS = "年度评议"

# --- columns: (label, group, hint); the group is the row above the label ---------------------

WHO = "网格员（灰色，不可修改）"
ASSESSOR_HINT = "从下拉列表选择；须有权考评该社区，不能是本人"
RECORD_COLUMNS = {
    "worker": ("编号", WHO, ""),
    "name": ("姓名", WHO, ""),
    "community": ("社区", WHO, ""),
    "grid": ("网格", WHO, ""),
    "assessed_by": ("考评人编号", "考评", ASSESSOR_HINT),
    "assessed_on": ("考评日期", "考评", "如 {next_month}-02，不早于 {first_day}"),
    "notes": ("内部备注", "可选，仅内部可见", ""),
}
ITEM_GROUP = "{name}（{points}分）"
LEVEL_LABEL = "等级"
LEVELS = "优秀、良好、一般、较差"
LEVEL_NONE_ALLOWED = "、无此项"
LEVEL_REQUIRED_HINT = "（每月须评定，不能选无此项）"
LEVEL_HINT = "从下拉列表选择：{allowed}"
COUNT_PART_HINT = "整数，不能大于“{whole}”"
COUNT_HINT = "不小于 0 的整数，没有填 0"
EVENT_COLUMNS = {
    "worker": ("编号", "网格员编号，可从下拉列表选", "填考评记录表中的网格员编号"),
    "name": ("姓名", "按编号自动显示", ""),
    "kind": ("事件类型", "从下拉列表选择，分值见“选项”表", "从下拉列表选择事件类型"),
    "date": ("日期", "须在{month.label}内", "如 {month}-12，须在{month.label}内"),
    "scale": ("档次", "部分事件须填", "按事件类型填写：{scales}"),
    "amount_yuan": ("金额（元）", "部分事件须填", "只有需要金额的事件才填"),
    "summary": ("事迹摘要（公开）", "会公开发布：不写居民姓名、电话、身份证号、银行卡号", "会在公示网站公开"),
    "evidence": ("佐证（内部）", "仅内部可见，如派出所回执编号", ""),
}
REVIEW = "年度综合评议"
REVIEW_COLUMNS = {
    "worker": ("网格员编号", WHO, ""),
    "name": ("姓名", WHO, ""),
    "community": ("社区", WHO, ""),
    "review_score": (
        "年度综合评议得分",
        REVIEW,
        "群众评议、实地走访、台账检查的综合得分：0 到 100 的数字，最多两位小数，如 88.5",
    ),
    "assessed_by": ("考评人编号", REVIEW, ASSESSOR_HINT),
    "assessed_on": ("评议日期", REVIEW, "如 {next_year}-01-10，不能晚于导入的当天"),
}
BAD_FORMAT = "（格式有误）"  # a list or map where a cell holds one value
NOT_IN_RECORDS = "（编号不在考评记录表中）"  # the 事件 sheet's name column, for an unknown id
YES = "是"

# --- drop-down rules: the messages Excel shows for a value it refuses --------------------------

INPUT_ERROR_TITLE = "输入有误"
LEVEL_ERROR = "请从下拉列表中选择等级：{choices}"
LEVEL_REQUIRED_ERROR = "（此项不能选无此项）"
ASSESSOR_ERROR = "请从下拉列表中选择考评人编号（名单见“选项”表）"
KIND_ERROR = "请从下拉列表中选择事件类型（见“选项”表）"
SCALE_ERROR = "请从下拉列表中选择档次（见“选项”表）"
WORKER_ERROR = "请填写考评记录表中的网格员编号"
COUNT_ERROR = "请填写不小于 0 的整数"
AMOUNT_ERROR = "请填写金额（元），不小于 0 的数字"
ASSESSED_ON_ERROR = "考评日期应为日期，如 {next_month}-02，且不早于 {first_day}"
EVENT_DATE_ERROR = "事件日期须在{month.label}内，如 {month}-12"
REVIEW_SCORE_ERROR = "年度综合评议得分应为 0 到 100 之间的数字，最多两位小数，如 88.5"
REVIEW_DATE_ERROR = "评议日期应为日期，如 {next_year}-01-10，且不早于 {year}-01-01"

# --- titles --------------------------------------------------------------------------------------

MONTH_WORKBOOK_TITLE = "{unit}{month.label}网格员反诈工作考评记录"  # the file's properties
RECORDS_TITLE = "{unit} {month.label}网格员反诈工作考评记录（{rubric}）"
EVENTS_TITLE = "{month.label}扣分与加分事件（每个事件一行；没有事件的网格员不用填）"
YEAR_WORKBOOK_TITLE = "{unit}{year.label}网格员反诈工作年度综合评议"
REVIEWS_TITLE = "{unit} {year}年度网格员反诈工作年度综合评议"

# --- the 选项 sheet --------------------------------------------------------------------------------

CHOICES_TITLE = "下拉选项与代码对照（由 gridscore export 生成，请勿修改）"
LEVEL_HEADERS = (("等级", 9), ("等级（须评定的项目）", 11), ("英文编号", 10), ("得分比例", 9))
KIND_HEADERS = (("事件类型", 34), ("英文编号", 20), ("分值", 22), ("还须填写", 24))
SCALE_HEADERS = (("档次", 8), ("英文编号", 10), ("适用的事件类型", 30))
ASSESSOR_HEADERS = (("考评人编号", 12), ("姓名", 9), ("单位", 12), ("可考评的社区", 30))
ALL_COMMUNITIES = "全部社区"
BONUS_EFFECT = "加分 +{amount}"
TOTAL_EFFECT = "总分 −{amount}"
VETO_EFFECT = "，一票否决"
ITEM_EFFECT = "{item} −{amount}"
NEEDS_SCALE = "档次："
NEEDS_AMOUNT_AT_LEAST = "金额（不少于 {minimum} 元）"
NEEDS_AMOUNT = "金额（元）"
NEEDS_NOTHING = "—"

# --- the 考评结果 sheet ----------------------------------------------------------------------------

RESULTS_TITLE = "{unit} {month.label}考评结果（只读，不会导入）"
RESULTS_SEALED = "已封存的结果"
RESULTS_COMPUTED = "导出时按现有记录计算，仅供核对；在 Excel 中修改后不会更新，导入后运行 gridscore score 查看"
RESULTS_STATUS = "{status}。考评标准：{rubric}。"
RESULTS_HEADERS = (("排名", 6), ("社区排名", 6), ("编号", 10), ("姓名", 9), ("社区", 13), ("总分", 8), ("等次", 7))
RESULTS_CATEGORY = "{name}（{points}分）"
RESULTS_TAIL_HEADERS = (("加分", 7), ("扣分", 7), ("一票否决", 7))

# --- the 说明 sheet --------------------------------------------------------------------------------

GUIDE_SECTIONS = ("各工作表", "填写方法", "导入", "注意")
GUIDE_ITSELF = "本页：怎么填、怎么导入。"
SAVE_AS_XLSX = "保存为 .xlsx 格式。WPS：“文件”→“另存为”，文件类型选“Excel 文件(*.xlsx)”；不要存成 .xls 或 .et。"
RUN_IMPORT = "在考评仓库的根目录运行：gridscore import 文件名.xlsx（也可以写 python -m generator import 文件名.xlsx）。"
UNIT = "考评单位"
MADE_BY = "生成方式"

# a month's workbook; filled with month, next_month, first_day, workers, prefilled, events, parts, levels,
# required, unit, rubric, version
MONTH_GUIDE_TITLE = "{unit}网格员反诈工作考评 Excel 填写表（{month.label}）"
MONTH_GUIDE_META = (
    (UNIT, "{unit}"),
    (PERIOD_LABEL, "{month}"),
    ("考评标准", "{rubric}（rubric/{version}.yaml）"),
    (MADE_BY, "gridscore export {month}；填好后用 gridscore import 导入"),
)
MONTH_GUIDE_SHEETS = {
    SHEET_GUIDE: GUIDE_ITSELF,
    SHEET_RECORDS: "每名{month.label}在岗的网格员一行（共 {workers} 人）。已有的考评记录已经填好（{prefilled} 份），"
    "没有记录的行是空的。灰色的列是网格员本人的信息，不能修改；白色的格子填写。",
    SHEET_EVENTS: "扣分与加分事件，每个事件一行（已有 {events} 条）。下面留有空行，直接往下填。",
    SHEET_RESULTS: "{month.label}的排名、总分、等次和各类得分（{what}）。只读，不会导入。",
    SHEET_CHOICES: "下拉列表的选项：等级、事件类型（含分值和还须填写的内容）、档次、考评人名单。请勿修改。",
}
MONTH_GUIDE_RESULTS = {
    "sealed": "已封存的公布结果",
    "computed": "导出时按现有记录计算的结果，在 Excel 中修改后不会更新",
}
MONTH_GUIDE_LEVEL = "{label}（{description}）"
MONTH_GUIDE_RATIO = "得该项分值的 {percent}%"
MONTH_GUIDE_STEPS = (
    "灰色的列（编号、姓名、社区、网格）和表头已锁定，白色的格子可以填写。工作表保护没有密码：确需撤销时（例如事件表的空行不够用），"
    "点“审阅”→“撤销工作表保护”即可，但不要改动表头，也不要删除或改动隐藏的第 4 行（英文字段名，导入时按它找到每一列）。",
    "考评人编号从下拉列表选择（名单见“选项”表），须是有权考评该社区的考评人，不能是网格员本人。"
    "考评日期填日期，如 {next_month}-02，不能早于 {first_day}。",
    "数字都填不小于 0 的整数，没有就填 0，不要留空。部分不能大于整体：{parts}。"
    "当月没有任务（整体为 0）的比例项计满分。",
    "等级从下拉列表选择：{levels}。{required}每月都须评定，不能选“无此项”。",
    "内部备注可以不填，只在内部版可见，不会公开。",
    "事件：每个加分或扣分事件填一行。编号填网格员编号（可从下拉列表选），姓名会自动显示；事件类型从下拉列表选择；"
    "日期须在{month.label}内；需要档次的事件填档次，需要金额的事件填金额（元）——哪些事件需要，见“选项”表。"
    "删除一个事件：把那一行的内容清空。",
    "事迹摘要会在公示网站上公开发布：不写居民姓名、电话号码、身份证号、银行卡号。佐证（如派出所回执编号）只在内部可见。",
    "一行全部留空，表示这名网格员还没有考评记录；清空一行不会删除已有的记录（确需删除，请直接删除对应的 YAML 文件）。",
    SAVE_AS_XLSX,
)
MONTH_GUIDE_IMPORTING = (
    RUN_IMPORT,
    "导入时按 gridscore check 的全部规则检查。有问题时逐条列出“文件名 工作表!单元格: 说明”，"
    "例如“考评记录!H7: …不能大于…”，并且不写入任何文件；按提示改好后重新导入即可。",
    "没有问题时写入 records/{month.year:04d}/{month.month:02d}/社区编号/网格员编号.yaml：只改动变化了的数值，"
    "原有的注释和字段顺序保持不变；没有改动的记录不会被改写。等级写回时用英文编号（如 good）。",
    "然后运行 gridscore score {month} 查看结果，git diff 查看改动，按平时的流程提交合并请求。",
)
MONTH_GUIDE_NOTES = (
    "本表含佐证材料和内部备注，属内部资料，不要对外发送。",
    "公示网站公开的是得分、等次、排名和事迹摘要；姓名按本人是否同意公开，显示全名或“张*”。",
    "已封存的月份（records/seals/）导入后结果有变化时会被拒绝：须先发布更正公告，见 README“每月工作流程”。",
)

# a year's workbook; filled with year, next_year, workers, prefilled, header_rows, unit
YEAR_GUIDE_TITLE = "{unit}网格员反诈工作年度综合评议 Excel 填写表（{year}年度）"
YEAR_GUIDE_META = (
    (UNIT, "{unit}"),
    (YEAR_LABEL, "{year}"),
    (MADE_BY, "gridscore export {year}；填好后用 gridscore import 导入"),
)
YEAR_GUIDE_SHEETS = {
    SHEET_GUIDE: GUIDE_ITSELF,
    SHEET_REVIEWS: "{year} 年参加过考评（至少有一个月的月度考评记录）的每名网格员一行（共 {workers} 人）。"
    "已有的年度评议已经填好（{prefilled} 份），没有评议的行是空的。灰色的列是网格员本人的信息，不能修改；白色的格子填写。",
    SHEET_CHOICES: "考评人名单（下拉列表的选项）和每人可考评的社区。请勿修改。",
}
YEAR_GUIDE_STEPS = (
    "灰色的列（网格员编号、姓名、社区）和表头已锁定，白色的格子可以填写。工作表保护没有密码；不要改动表头，"
    "也不要删除或改动隐藏的第 {header_rows} 行（英文字段名，导入时按它找到每一列）。",
    "年度综合评议得分：群众评议、实地走访、台账检查的综合得分，填 0 到 100 的数字，最多两位小数，如 88.5。"
    "年度得分按考评标准由月度平均分和这个得分计算，导入后可用 gridscore explain 网格员编号 {year} 查看。",
    "考评人编号从下拉列表选择（名单见“选项”表），须是有权考评该网格员所在社区的考评人，不能是网格员本人。",
    "评议日期填日期，如 {next_year}-01-10，不能晚于导入的当天。",
    "一行全部留空，表示这名网格员还没有年度评议；清空一行不会删除已有的评议（确需删除，请直接删除对应的 YAML 文件）。"
    "一行只填了一部分时，导入会指出还没填的格子。",
    SAVE_AS_XLSX,
)
YEAR_GUIDE_IMPORTING = (
    RUN_IMPORT,
    "导入时按 gridscore check 的全部规则检查。有问题时逐条列出“文件名 工作表!单元格: 说明”，"
    f"例如“{SHEET_REVIEWS}!D7: …”，并且不写入任何文件；按提示改好后重新导入即可。",
    "没有问题时写入 records/{year:04d}/annual/社区编号/网格员编号.yaml：只改动变化了的值，"
    "原有的注释和字段顺序保持不变；没有改动的评议不会被改写。",
    "然后运行 gridscore score {year} 查看年度结果，git diff 查看改动，按平时的流程提交合并请求。",
)
YEAR_GUIDE_NOTES = (
    "年度综合评议得分计入年度得分，随年度结果公开发布。",
    "已封存的年度（records/seals/{year}.yaml）导入后结果有变化时会被拒绝：须先发布更正公告，见 README“每月工作流程”。",
)

# --- export refused ----------------------------------------------------------------------------------

TARGET_IS_LINK = "导出文件 {target} 是符号链接，不能写入：请换一个文件名，或先删除这个链接"
TARGET_NOT_A_FILE = "导出文件 {target} 已存在，但不是普通文件：请换一个文件名"
BAD_EPOCH = "环境变量 SOURCE_DATE_EPOCH 应为整数秒，实际为“{epoch}”"
NO_RUBRIC = "{month} 早于所有考评标准的生效月份，没有可用的考评标准"
FIX_FILE_FIRST = "{message}（请先改正这个文件）"
FILE_NOT_A_MAPPING = "文件内容应为“字段: 值”形式"
RECORD_NOT_A_MAPPING = "记录文件的内容应为“字段: 值”形式"
NO_RECORDS_IN_YEAR = "{year} 年还没有任何月度考评记录，无从导出年度评议（年度评议只为当年参加过考评的网格员填写）"

# --- import refused: the workbook ---------------------------------------------------------------------

OURS = "请使用 gridscore export 生成、用 Excel 或 WPS 填好后保存为 .xlsx 的文件"
NOT_XLSX = "不是 .xlsx 文件：" + RESAVE
CHECK_PATH = "请检查文件名和所在的文件夹"
FILE_REFUSED = "{reason}：{hint}"
UNREADABLE = "无法读取（{error}）：" + OURS
NO_SHEET = "工作簿中没有“{name}”工作表：" + OURS + "，不要删除或改名工作表"
NOT_A_WORKSHEET = "“{name}”不是普通的工作表（可能是图表）：" + OURS
AFTER_ROW = "第 {number} 行之后"
ROWS_UNREADABLE = "“{name}”表{where}的内容无法读取（{error}）：" + RESAVE
NO_KEY_ROW = "“{name}”表中找不到英文字段名行（导出时在第 {row} 行，第一格是 worker）：请不要删除或修改表头"
DUPLICATE_KEY = "字段名“{key}”重复（与 {column} 列相同）"
NO_PERIOD = f"在“{SHEET_GUIDE}”表中找不到考评月份（或考评年度）：{OURS}，不要修改“说明”表"

# --- import refused: rows and cells --------------------------------------------------------------------

NOT_ACTIVE = "编号“{worker}”不是{month.label}在岗的网格员，这一行不能导入（请不要修改灰色的编号列）"
TWO_ROWS = "网格员 {worker} 有两行（另见第 {row} 行），请只保留一行"
NO_EVENT_WORKER = "请填写网格员编号"
EVENT_NOT_ACTIVE = "编号“{worker}”不是{month.label}在岗的网格员（须为考评记录表中的编号）"
NOT_WRITABLE = "{path}: 不能写入：{reason}"
KEY_NOT_IN_RUBRIC = "这一列的字段名“{key}”不在考评标准 {version} 版中：考评标准可能在导出后修改过，请重新导出后再填写"
UNKNOWN_KEY = "未知的字段名“{key}”：请不要修改第 {row} 行的英文字段名"
NO_REVIEW_WORKER = "这一行没有网格员编号：请不要修改灰色的编号列，也不要在表格下方另加行"
NOT_REGISTERED = "编号“{worker}”不是登记的网格员，这一行不能导入（请不要修改灰色的编号列）"
YEAR_HEADER = "年度"  # “year” is no column of 年度评议, but may be named in a review's problem

# --- the finance sheet (发放表, export-ledger) ---------------------------------------------

SHEET_LEDGER = "发放表"
LEDGER_TITLE = "{unit} {period}网格反诈考评奖励发放表"
LEDGER_BASIS = "依据：{rubric}；考评结果于 {sealed_on} 封存{corrected}。金额单位：{currency}。"
LEDGER_CORRECTED = "，{on} 按更正公告重新封存"
# (label, width); 荣誉奖励 only in a year's sheet
LEDGER_COLUMNS = {
    "index": ("序号", 6),
    "community": ("社区", 16),
    "worker": ("编号", 11),
    "name": ("姓名", 11),
    "grade": ("等次", 9),
    "monthly": ("月度绩效奖励", 14),
    "events": ("专项奖金", 12),
    "honors": ("荣誉奖励", 12),
    "total": ("合计", 13),
    "signature": ("领款人签字", 18),
}
LEDGER_YEAR_NOTE = "月度绩效奖励和专项奖金为当年各月之和，荣誉奖励按年度封存的荣誉发放。"
LEDGER_SUBTOTAL = "{community}小计（{count} 人）"
LEDGER_TOTAL = "{unit}合计（{count} 人）"
LEDGER_IN_WORDS = "合计金额（大写）：{words}"
LEDGER_SIGNERS = (
    "制表人："
    + "\u3000" * 8
    + "审核人："
    + "\u3000" * 8
    + "分管领导："
    + "\u3000" * 8
    + "日期：\u3000\u3000年\u3000\u3000月\u3000\u3000日"
)
LEDGER_PAGE = "第 &P 页，共 &N 页"
LEDGER_SOURCE = (
    "本表由 gridscore export-ledger {period} 依据已封存的考评结果生成，与 gridscore ledger {period} 的金额一致；"
    "如有疑问，以考评仓库中的记录和封存文件为准。"
)
LEDGER_UNSEALED = (
    "{period}的考评结果尚未封存：发放表只能依据已封存的结果生成。请先审核并运行 gridscore seal {key}"
    "（查看暂定金额：gridscore ledger {key}）"
)
LEDGER_NO_REWARDS = "{period}适用的考评标准（{rubric}）没有设置物质奖励（rewards），没有可发放的金额"
