"""The database schema, as a sequence of sqlite-utils migrations.

Every record that offices exchange carries the same sync columns: a TEXT uuid `id`,
`rev` (bumped on every change), `updated_at` (UTC ISO time), `updated_by` (the office),
`device` (the installation that made the change) and a `deleted` tombstone flag.
Never edit a migration once released: add a new one. Repairs of stored data that need the
domain's rules (core.storage.heals) are a migration set of their own, so db/ imports no domain code.
"""

import sqlite_utils
from sqlite_utils.migrations import Migrations

migrations = Migrations("zwgk")

SYNC_COLUMNS = """
    rev INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    device TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0
"""

# Tables whose rows travel between offices, in an order that respects references.
SYNCED_TABLES = (
    "plans",
    "tasks",
    "entries",
    "measures",
    "progress",
    "attachments",
    "events",
    "activities",
    "requests",
    "request_appeals",
    "report_values",
    "inspections",
    "corrections",
)

# The Chinese name of each synced table, for messages about its records.
TABLE_NAMES = {
    "plans": "方案", "tasks": "任务", "entries": "台账", "measures": "举措", "progress": "进展",
    "attachments": "附件", "events": "事项", "activities": "开放活动",
    "requests": "依申请公开", "request_appeals": "复议诉讼", "report_values": "年度报告",
    "inspections": "检查问题", "corrections": "整改情况",
}


# Columns computed from other data and kept per database: never synced, packed or validated.
DERIVED_COLUMNS = {"entries": ("due", "due_kind", "due_on")}


def migration_names() -> list[str]:
    """The names of every schema migration this version knows, in order."""
    return [m.name for m in migrations.pending(sqlite_utils.Database(memory=True))]


@migrations()
def m001_initial(db):
    db.executescript(
        f"""
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );

        -- A county's yearly plan (工作方案 / 工作要点).
        CREATE TABLE plans (
            id TEXT PRIMARY KEY,
            year INTEGER,
            title TEXT NOT NULL DEFAULT '',
            doc_no TEXT NOT NULL DEFAULT '',
            issuer TEXT NOT NULL DEFAULT '',
            issued TEXT,                       -- YYYY-MM-DD
            source_name TEXT NOT NULL DEFAULT '',
            source_sha256 TEXT NOT NULL DEFAULT '',
            report_dates TEXT NOT NULL DEFAULT '[]',  -- JSON: dates the notice sets for the units
            {SYNC_COLUMNS}
        );

        -- One row of the plan's 重点工作任务分解表.
        CREATE TABLE tasks (
            id TEXT PRIMARY KEY,
            plan_id TEXT REFERENCES plans(id),
            position INTEGER NOT NULL DEFAULT 0,
            seq TEXT NOT NULL DEFAULT '',
            category TEXT NOT NULL DEFAULT '[]',      -- JSON list: one or two task levels
            requirement TEXT NOT NULL DEFAULT '',
            units TEXT NOT NULL DEFAULT '',
            deadline TEXT NOT NULL DEFAULT '',
            filled TEXT NOT NULL DEFAULT '[]',        -- JSON list of fields filled down
            {SYNC_COLUMNS}
        );
        CREATE INDEX tasks_plan ON tasks(plan_id, position);

        -- A unit's ledger line for one task (工作台账). 逾期 is computed, never stored.
        CREATE TABLE entries (
            id TEXT PRIMARY KEY,
            task_id TEXT NOT NULL REFERENCES tasks(id),
            unit TEXT NOT NULL,
            year INTEGER NOT NULL,
            role TEXT NOT NULL DEFAULT '',            -- 牵头 / 配合 / 落实 / 责任
            reason TEXT NOT NULL DEFAULT '',
            selection TEXT NOT NULL DEFAULT 'auto',   -- auto / added / dropped (by hand; survives re-imports)
            leader TEXT NOT NULL DEFAULT '',          -- 单位分管领导
            office TEXT NOT NULL DEFAULT '',          -- 责任科室
            handler TEXT NOT NULL DEFAULT '',         -- 经办人
            status TEXT NOT NULL DEFAULT '未开始',     -- 未开始 / 推进中 / 已完成 / 长期坚持
            completed_on TEXT,
            due_override TEXT,                        -- a due date set by hand for unparsed 时限
            duties TEXT NOT NULL DEFAULT '[]',        -- JSON list of counted duties this entry serves
            note TEXT NOT NULL DEFAULT '',            -- 备注
            carried_from TEXT,                        -- last year's entry (回头看)
            {SYNC_COLUMNS}
        );
        CREATE INDEX entries_unit_year ON entries(unit, year);
        CREATE UNIQUE INDEX entries_task_unit ON entries(task_id, unit);

        -- 工作举措: several per entry.
        CREATE TABLE measures (
            id TEXT PRIMARY KEY,
            entry_id TEXT NOT NULL REFERENCES entries(id),
            position INTEGER NOT NULL DEFAULT 0,
            text TEXT NOT NULL DEFAULT '',
            {SYNC_COLUMNS}
        );
        CREATE INDEX measures_entry ON measures(entry_id, position);

        -- 完成情况: the progress log.
        CREATE TABLE progress (
            id TEXT PRIMARY KEY,
            entry_id TEXT NOT NULL REFERENCES entries(id),
            date TEXT NOT NULL,
            text TEXT NOT NULL DEFAULT '',
            duty TEXT NOT NULL DEFAULT '',            -- counted duty this progress counts towards
            {SYNC_COLUMNS}
        );
        CREATE INDEX progress_entry ON progress(entry_id, date);

        -- Evidence: a web link or a file copied into the attachment folder.
        CREATE TABLE attachments (
            id TEXT PRIMARY KEY,
            progress_id TEXT REFERENCES progress(id),
            activity_id TEXT,
            kind TEXT NOT NULL,                       -- link / file
            name TEXT NOT NULL DEFAULT '',
            url TEXT NOT NULL DEFAULT '',
            stored_name TEXT NOT NULL DEFAULT '',     -- file name inside the attachment folder
            sha256 TEXT NOT NULL DEFAULT '',
            size INTEGER NOT NULL DEFAULT 0,
            {SYNC_COLUMNS}
        );
        CREATE INDEX attachments_progress ON attachments(progress_id);

        -- An event an event-relative deadline counts from (信息形成之日, 处罚结果作出…).
        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            entry_id TEXT NOT NULL REFERENCES entries(id),
            date TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            done_on TEXT,
            {SYNC_COLUMNS}
        );
        CREATE INDEX events_entry ON events(entry_id);

        -- 政府开放活动: the plan and, once held, the report.
        CREATE TABLE activities (
            id TEXT PRIMARY KEY,
            unit TEXT NOT NULL,
            year INTEGER NOT NULL,
            theme TEXT NOT NULL DEFAULT '',
            time_text TEXT NOT NULL DEFAULT '',       -- 开展时间 as written: 7月, 7月中旬, 7月15日
            place TEXT NOT NULL DEFAULT '',
            content TEXT NOT NULL DEFAULT '',
            audience TEXT NOT NULL DEFAULT '',
            signup TEXT NOT NULL DEFAULT '',
            contact TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '',
            held_on TEXT,
            participants INTEGER,
            opinions INTEGER,
            answered INTEGER,
            adopted INTEGER,
            report_note TEXT NOT NULL DEFAULT '',
            links TEXT NOT NULL DEFAULT '[]',
            {SYNC_COLUMNS}
        );
        CREATE INDEX activities_unit_year ON activities(unit, year);

        -- Every change to a record, for the detail panel's history and for undo.
        CREATE TABLE history (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            table_name TEXT NOT NULL,
            record_id TEXT NOT NULL,
            field TEXT NOT NULL,
            old TEXT,
            new TEXT,
            at TEXT NOT NULL,
            by TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX history_record ON history(table_name, record_id);

        -- A version that lost a merge, kept so the user can review and restore it.
        CREATE TABLE conflicts (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            table_name TEXT NOT NULL,
            record_id TEXT NOT NULL,
            kept TEXT NOT NULL,                       -- JSON of the version that won
            lost TEXT NOT NULL,                       -- JSON of the version that lost
            source TEXT NOT NULL DEFAULT '',          -- package file it came from
            at TEXT NOT NULL,
            resolved INTEGER NOT NULL DEFAULT 0
        );

        -- Working-day calendar entries added by the user for years the program does not ship.
        CREATE TABLE calendar_days (
            date TEXT PRIMARY KEY,                    -- YYYY-MM-DD
            kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
            name TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT 'user'
        );

        -- Yearly counted duties (政策评价 ≥ 2 …), targets editable.
        CREATE TABLE duty_targets (
            year INTEGER NOT NULL,
            name TEXT NOT NULL,
            target INTEGER NOT NULL,
            PRIMARY KEY (year, name)
        );

        -- HMAC keys for signed packages: the county keeps one per unit; a unit keeps its own.
        CREATE TABLE unit_keys (
            unit TEXT PRIMARY KEY,
            key TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        """
    )


@migrations()
def m002_ledger_search(db):
    """Ledger search: an FTS5 trigram index (text + pinyin) kept fresh through a dirty queue.

    Triggers only queue entry ids (plain SQL, any connection); core.ledger.search computes the
    pinyin in Python and refreshes the index before each search.
    """
    try:
        db.execute("CREATE VIRTUAL TABLE entry_fts USING fts5(entry_id UNINDEXED, text, pinyin, tokenize='trigram')")
    except Exception:  # an SQLite without FTS5 trigram: a plain table searched with LIKE
        db.execute("CREATE TABLE entry_fts (entry_id TEXT PRIMARY KEY, text TEXT NOT NULL DEFAULT '', pinyin TEXT NOT NULL DEFAULT '')")
    db.executescript(
        """
        CREATE TABLE search_dirty (entry_id TEXT PRIMARY KEY);
        INSERT OR IGNORE INTO search_dirty SELECT id FROM entries;
        CREATE TRIGGER search_entries_ins AFTER INSERT ON entries BEGIN INSERT OR IGNORE INTO search_dirty VALUES (new.id); END;
        CREATE TRIGGER search_entries_upd AFTER UPDATE ON entries BEGIN INSERT OR IGNORE INTO search_dirty VALUES (new.id); END;
        CREATE TRIGGER search_tasks_upd AFTER UPDATE ON tasks BEGIN INSERT OR IGNORE INTO search_dirty SELECT id FROM entries WHERE task_id = new.id; END;
        CREATE TRIGGER search_measures_ins AFTER INSERT ON measures BEGIN INSERT OR IGNORE INTO search_dirty VALUES (new.entry_id); END;
        CREATE TRIGGER search_measures_upd AFTER UPDATE ON measures BEGIN INSERT OR IGNORE INTO search_dirty VALUES (new.entry_id); END;
        CREATE TRIGGER search_progress_ins AFTER INSERT ON progress BEGIN INSERT OR IGNORE INTO search_dirty VALUES (new.entry_id); END;
        CREATE TRIGGER search_progress_upd AFTER UPDATE ON progress BEGIN INSERT OR IGNORE INTO search_dirty VALUES (new.entry_id); END;
        CREATE INDEX IF NOT EXISTS entries_carried ON entries(carried_from);
        """
    )


@migrations()
def m002_activity_reported_on(db):
    # The day an open activity's 开展情况 report was sent to the county (NULL: not yet).
    db.execute("ALTER TABLE activities ADD COLUMN reported_on TEXT")


@migrations()
def m002_exchange_sync(db):
    # Exchange: the last version of each record exchanged with another office (the merge's
    # common base, telling a plain update from a conflict), and the packages imported.
    db.executescript(
        """
        CREATE TABLE sync_base (
            table_name TEXT NOT NULL, record_id TEXT NOT NULL,
            rev INTEGER NOT NULL, updated_at TEXT NOT NULL, device TEXT NOT NULL,
            PRIMARY KEY (table_name, record_id)
        ) WITHOUT ROWID;
        CREATE TABLE exchange_log (
            package_sha256 TEXT PRIMARY KEY, file_name TEXT NOT NULL, kind TEXT NOT NULL,
            sender TEXT NOT NULL, recipient TEXT NOT NULL, created_at TEXT NOT NULL,
            imported_at TEXT NOT NULL, report TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX exchange_log_sender ON exchange_log(sender, created_at);
        """
    )


@migrations()
def m003_ledger_search_rowids(db):
    """Ledger search: each entry's row in entry_fts by rowid, so refreshing one entry is a lookup."""
    db.executescript(
        """
        CREATE TABLE search_rowids (entry_id TEXT PRIMARY KEY, fts_rowid INTEGER NOT NULL);
        DELETE FROM entry_fts;
        INSERT OR IGNORE INTO search_dirty SELECT id FROM entries;
        """
    )


@migrations()
def m010_office_keys(db):
    """Signed exchange: the Ed25519 public key pinned for each office this one exchanges with.

    A unit holds one row of role 'county' (the office that sends its 任务包); a county holds one
    row of role 'unit' per unit, created when it issues that unit a 任务包 (issued_at) and given
    its key when the first 报送包 arrives. public_key NULL: not pinned (yet, or forgotten).
    The old HMAC keys stay in unit_keys for the one-time migration (core.exchange.signing).
    """
    db.executescript(
        """
        CREATE TABLE office_keys (
            office TEXT PRIMARY KEY,
            role TEXT NOT NULL CHECK (role IN ('county', 'unit')),
            public_key TEXT,
            pinned_at TEXT,
            pinned_how TEXT,
            source TEXT,
            issued_at TEXT
        );
        CREATE INDEX office_keys_public ON office_keys(public_key);
        """
    )


@migrations()
def m030_deadline_source(db):
    """Where a task's deadline came from: '' its 时限要求 cell, 'requirement' quoted from its 工作要求."""
    db.execute("ALTER TABLE tasks ADD COLUMN deadline_source TEXT NOT NULL DEFAULT ''")


@migrations()
def m040_requests(db):
    """依申请公开台账 (applications for disclosure), their appeals, and the annual report's typed figures.

    Due dates, status and 逾期 are computed (core.register.requests), never stored.
    """
    db.executescript(
        f"""
        CREATE TABLE requests (
            id TEXT PRIMARY KEY,
            unit TEXT NOT NULL,
            year INTEGER NOT NULL,                    -- year of receipt (编号 counts per unit and year)
            seq INTEGER NOT NULL,
            no TEXT NOT NULL,                         -- 编号: YYYY-NNN
            received TEXT NOT NULL,                   -- 收到日期
            channel TEXT NOT NULL,                    -- 收到方式: 当面/邮寄/网络/传真/其他
            applicant TEXT NOT NULL,                  -- table 三 column: 自然人/商业企业/…
            name TEXT NOT NULL DEFAULT '',            -- 申请人姓名或名称
            contact TEXT NOT NULL DEFAULT '',
            content TEXT NOT NULL DEFAULT '',         -- 所需信息
            form TEXT NOT NULL DEFAULT '',            -- 获取形式
            correction_asked TEXT,                    -- 补正告知日
            correction_received TEXT,                 -- 补正收到日
            consult_start TEXT,                       -- 征求意见起
            consult_end TEXT,                         -- 征求意见止
            extended TEXT,                            -- 延期审批日
            replied TEXT,                             -- 答复日
            result TEXT,                              -- table 三 row code: 1, 2, 3.1 … 6.3
            delivered TEXT,                           -- 送达日
            delivery TEXT NOT NULL DEFAULT '',        -- 送达方式/签收
            fee REAL NOT NULL DEFAULT 0,              -- 收费（元）
            archive_no TEXT NOT NULL DEFAULT '',      -- 归档号
            note TEXT NOT NULL DEFAULT '',
            {SYNC_COLUMNS}
        );
        CREATE INDEX requests_unit_year ON requests(unit, year, seq);
        CREATE INDEX requests_replied ON requests(replied);

        -- 行政复议 / 行政诉讼 against a reply; counted in table 四 of the year of `date`
        -- (or of the reply when no date is given).
        CREATE TABLE request_appeals (
            id TEXT PRIMARY KEY,
            request_id TEXT NOT NULL REFERENCES requests(id),
            unit TEXT NOT NULL,
            kind TEXT NOT NULL,                       -- 复议 / 诉讼 / 复议后诉讼
            outcome TEXT NOT NULL,                    -- 维持 / 纠正 / 其他 / 未审结
            date TEXT,
            year INTEGER NOT NULL,
            {SYNC_COLUMNS}
        );
        CREATE INDEX request_appeals_request ON request_appeals(request_id);

        -- Figures and texts of the annual report typed by hand (table 二, sections 一/五/六),
        -- one row per unit, year and key; the id is derived from them so two devices agree.
        CREATE TABLE report_values (
            id TEXT PRIMARY KEY,
            unit TEXT NOT NULL,
            year INTEGER NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL DEFAULT '',
            {SYNC_COLUMNS}
        );
        CREATE UNIQUE INDEX report_values_key ON report_values(unit, year, key);
        """
    )


@migrations()
def m050_roster(db):
    """The county's roster of units (name, kind, aliases, contact) and the 任务包 written for each."""
    db.executescript(
        f"""
        CREATE TABLE roster_units (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,                       -- 镇 / 街道 / 部门
            aliases TEXT NOT NULL DEFAULT '[]',       -- JSON list of other names
            contact TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '',
            {SYNC_COLUMNS}
        );
        CREATE UNIQUE INDEX roster_units_name ON roster_units(name);
        CREATE TABLE pack_log (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            unit TEXT NOT NULL,
            file_name TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        CREATE INDEX pack_log_unit ON pack_log(unit, created_at);
        """
    )


@migrations()
def m050_inspections(db):
    """Checks: the county's findings per unit (synced to the unit), the unit's corrections (synced
    back), and manual score adjustments."""
    db.executescript(
        f"""
        CREATE TABLE inspections (
            id TEXT PRIMARY KEY,
            unit TEXT NOT NULL,
            date TEXT NOT NULL,
            kind TEXT NOT NULL,                       -- 日常抽测 / 季度检查 / 年度考核
            indicator TEXT NOT NULL DEFAULT '',
            finding TEXT NOT NULL DEFAULT '',
            deduct REAL NOT NULL DEFAULT 0,
            fix_by TEXT,                              -- 整改期限
            rechecked_on TEXT,                        -- the county's re-check
            recheck_note TEXT NOT NULL DEFAULT '',
            {SYNC_COLUMNS}
        );
        CREATE INDEX inspections_unit ON inspections(unit, date);
        CREATE TABLE corrections (
            id TEXT PRIMARY KEY,
            inspection_id TEXT NOT NULL REFERENCES inspections(id),
            unit TEXT NOT NULL,
            date TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            evidence TEXT NOT NULL DEFAULT '',
            {SYNC_COLUMNS}
        );
        CREATE INDEX corrections_inspection ON corrections(inspection_id);
        CREATE TABLE score_adjustments (
            id TEXT PRIMARY KEY,
            unit TEXT NOT NULL,
            year INTEGER NOT NULL,
            points REAL NOT NULL,
            reason TEXT NOT NULL,
            {SYNC_COLUMNS}
        );
        CREATE INDEX score_adjustments_unit ON score_adjustments(unit, year);
        """
    )


@migrations()
def m060_entry_due(db):
    """Each entry's due date kept in the database so that sorting and filtering by it is plain SQL.

    due (YYYY-MM-DD or NULL), due_kind ('override' / 'standing' / 'deadline' / 'none') and due_on
    (the day it was computed; NULL = to be computed) are filled by core.ledger.due.refresh_due.
    A due date depends on today too, so rows whose due_on is not today are recomputed before a
    due-based query. The triggers clear due_on whenever an input changes, on any path: the entry's
    status, override, task or year; its events; the task's 时限要求 or plan; the plan's year or
    issue date; the working-day calendar. The search queue no longer reacts to these columns.
    Existing rows start with due_on NULL and are filled by the first due-based query.
    """
    db.executescript(
        """
        ALTER TABLE entries ADD COLUMN due TEXT;
        ALTER TABLE entries ADD COLUMN due_kind TEXT;
        ALTER TABLE entries ADD COLUMN due_on TEXT;
        CREATE INDEX entries_due_on ON entries(due_on);
        CREATE INDEX entries_due ON entries(due);

        DROP TRIGGER search_entries_upd;
        CREATE TRIGGER search_entries_upd AFTER UPDATE OF
            id, task_id, unit, year, role, reason, selection, leader, office, handler, status, completed_on,
            due_override, duties, note, carried_from, rev, updated_at, updated_by, device, deleted ON entries
        BEGIN INSERT OR IGNORE INTO search_dirty VALUES (new.id); END;

        CREATE TRIGGER due_entries_upd AFTER UPDATE OF status, due_override, task_id, year ON entries
        WHEN old.status IS NOT new.status OR old.due_override IS NOT new.due_override
          OR old.task_id IS NOT new.task_id OR old.year IS NOT new.year
        BEGIN UPDATE entries SET due_on = NULL WHERE id = new.id; END;
        CREATE TRIGGER due_events_ins AFTER INSERT ON events
        BEGIN UPDATE entries SET due_on = NULL WHERE id = new.entry_id; END;
        CREATE TRIGGER due_events_upd AFTER UPDATE OF entry_id, date, done_on, deleted ON events
        BEGIN UPDATE entries SET due_on = NULL WHERE id IN (old.entry_id, new.entry_id); END;
        CREATE TRIGGER due_events_del AFTER DELETE ON events
        BEGIN UPDATE entries SET due_on = NULL WHERE id = old.entry_id; END;
        CREATE TRIGGER due_tasks_upd AFTER UPDATE OF deadline, plan_id ON tasks
        WHEN old.deadline IS NOT new.deadline OR old.plan_id IS NOT new.plan_id
        BEGIN UPDATE entries SET due_on = NULL WHERE task_id = new.id; END;
        CREATE TRIGGER due_plans_upd AFTER UPDATE OF year, issued ON plans
        WHEN old.year IS NOT new.year OR old.issued IS NOT new.issued
        BEGIN UPDATE entries SET due_on = NULL WHERE task_id IN (SELECT id FROM tasks WHERE plan_id = new.id); END;
        CREATE TRIGGER due_calendar_ins AFTER INSERT ON calendar_days
        BEGIN UPDATE entries SET due_on = NULL WHERE due_on IS NOT NULL; END;
        CREATE TRIGGER due_calendar_upd AFTER UPDATE ON calendar_days
        BEGIN UPDATE entries SET due_on = NULL WHERE due_on IS NOT NULL; END;
        CREATE TRIGGER due_calendar_del AFTER DELETE ON calendar_days
        BEGIN UPDATE entries SET due_on = NULL WHERE due_on IS NOT NULL; END;
        """
    )
