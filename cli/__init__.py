"""The headless command line: one module per command group (see ../shared/CLI.md)."""

# Each module listed here exposes register(subparsers).
COMMAND_MODULES = [
    "cli.selftest",
    "cli.profile",
    "cli.backup",
    "cli.ledger",
    "cli.due",
    "cli.mine",
    "cli.calendar",
    "cli.plan",
    "cli.tasks",
    "cli.exchange",
    "cli.keys",
    "cli.activity",
    "cli.export",
    "cli.request",
    "cli.annual_report",
    "cli.units",
    "cli.inspection",
    "cli.score",
]
