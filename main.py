"""政务公开工作台账: with no command opens the window, otherwise runs a headless command."""

import sys


def _has_command(argv) -> bool:
    skip_value = False
    for arg in argv:
        if skip_value:
            skip_value = False
        elif arg == "--db":
            skip_value = True
        elif arg in ("-h", "--help") or not arg.startswith("-"):
            return True
    return False


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not _has_command(argv):
        from gui.app import run_gui

        return run_gui(argv)
    from cli.app import run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
