"""The pages of the main window, in navigation order: (title, module, class name).

Pages are built the first time they are shown, so the window opens fast.
Each page class takes (session, parent) and may define `actions()` for the 文件 menu
and `focus_search()` for Ctrl+F.
"""

PAGES = [
    ("概览", "gui.pages.overview", "OverviewPage"),
    ("任务台账", "gui.pages.ledger", "LedgerPage"),
    ("开放活动", "gui.pages.activities", "ActivitiesPage"),
    ("依申请公开", "gui.pages.requests", "RequestsPage"),
    ("年度报告", "gui.pages.annual_report", "AnnualReportPage"),
    ("数据交换", "gui.pages.exchange", "ExchangePage"),
    ("单位名册", "gui.pages.units", "UnitsPage"),
    ("检查考核", "gui.pages.inspections", "InspectionsPage"),
    ("设置", "gui.pages.settings", "SettingsPage"),
]
