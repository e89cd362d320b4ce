"""The fixed words the ledger stores and shows, each list in one place.

Statuses of an entry, the role of this office (填报单位 / 汇总单位), a unit's role in a task
and the kinds of unit. Packages, the Excel round trip and the window all check against these.
"""

NOT_STARTED = "未开始"
IN_PROGRESS = "推进中"
DONE = "已完成"
STANDING = "长期坚持"
STATUSES = (NOT_STARTED, IN_PROGRESS, DONE, STANDING)
OPEN_STATUSES = (NOT_STARTED, IN_PROGRESS)
OVERDUE = "逾期"  # shown, never stored: due before today and not 已完成

FILING_OFFICE = "填报单位"  # a township, sub-district or department keeping its own ledger
COUNTY_OFFICE = "汇总单位"  # the county office collecting every unit's ledger
OFFICE_ROLES = (FILING_OFFICE, COUNTY_OFFICE)

TASK_ROLES = ("牵头", "配合", "落实", "责任")
UNIT_KINDS = ("镇", "街道", "部门", "县政府办公室")
