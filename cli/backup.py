"""`backup [--out FILE]`, `backup list --json`, `restore FILE`, `diagnostics --out FILE`."""

from pathlib import Path


def register(sub, common):
    p = sub.add_parser("backup", help="备份台账：无参数时存入备份文件夹；--out 写成含附件的 .zip（如U盘）", parents=[common])
    p.add_argument("action", nargs="?", choices=["list"], help="list：列出自动备份")
    p.add_argument("--out", help="备份包（.zip）的文件名或文件夹")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=run_backup)

    p = sub.add_parser(
        "restore", help="从备份恢复台账（先校验；当前台账另存一份）", parents=[common],
        description="从备份恢复台账。.zip 备份包中的本单位签名私钥一并恢复。"
                    "备份属于其他单位（名称不同，或把汇总单位的备份恢复到填报单位）时会替换本机的单位身份，"
                    "默认拒绝并退出 2；确认无误时加 --force。",
    )
    p.add_argument("file", help="备份文件：备份文件夹中的 .sqlite3 副本或 .zip 备份包")
    p.add_argument("--force", action="store_true", help="备份属于其他单位或其他角色时仍然恢复（替换本机的单位身份和签名密钥）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=run_restore)

    p = sub.add_parser("diagnostics", help="导出诊断信息（日志和版本，不含台账数据）", parents=[common])
    p.add_argument("--out", required=True, help="诊断信息 .zip 的文件名或文件夹")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=run_diagnostics)


def run_backup(ctx):
    """Make a backup (or list them)."""
    from core.storage import backup
    from core.storage import snapshots

    if ctx.args.action == "list":
        items = snapshots.list_backups(ctx.db_path)
        if ctx.args.json:
            ctx.print_json({"backups": items})
        else:
            for b in items:
                print(f"{b['created']}  {b['label']}  {b['path']}")
            if not items:
                print("还没有自动备份。")
        return 0
    ctx.db  # runs the start-up checks: a damaged ledger is not backed up over good copies
    if ctx.args.out:
        result = backup.export_archive(ctx.db_path, Path(ctx.args.out))
        message = f"已备份到“{result['path']}”（{result['files']} 个文件）。"
        if result["missing"]:
            message += f"注意：{len(result['missing'])} 个附件文件缺失，未能备份。"
    else:
        path = snapshots.backup_before(ctx.db_path, "manual")
        result = {"path": str(path) if path else None}
        message = f"已备份到“{path}”。" if path else "台账为空，无需备份。"
    if ctx.args.json:
        ctx.print_json(result)
    else:
        print(message)
    return 0


def run_restore(ctx):
    """Restore the ledger from a backup copy or .zip archive."""
    from core.storage import backup

    result = backup.restore(ctx.db_path, Path(ctx.args.file), force=ctx.args.force)
    if ctx.args.json:
        ctx.print_json(result)
    else:
        print(f"已从“{result['restored']}”恢复台账。")
        if result.get("replaced"):
            print(f"恢复前的台账已另存为“{result['replaced']}”。")
    return 0


def run_diagnostics(ctx):
    """Write the diagnostics zip (logs and versions; never the database)."""
    from core.storage import diagnostics

    result = diagnostics.write_diagnostics(ctx.db_path, Path(ctx.args.out))
    if ctx.args.json:
        ctx.print_json(result)
    else:
        print(f"诊断信息已保存到“{result['path']}”。其中不含台账数据，可发给技术人员。")
    return 0
