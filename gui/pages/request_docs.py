"""Writing one document of an application (登记表及接收回执, 告知书, 答复书) from the register page."""

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog

from core.export.common import sanitize_file_name
from gui.errors import show_error


def write_document(parent, session, request: dict) -> None:
    """Ask which document and where, then write it (core.export.request_docs)."""
    from core.export import request_docs

    titles = list(request_docs.KINDS.values())
    title, ok = QInputDialog.getItem(parent, "生成文书", f"为 {request['no']} 生成：", titles, 0, False)
    if not ok:
        return
    kind = list(request_docs.KINDS)[titles.index(title)]
    suggested = Path.home() / sanitize_file_name(f"{request['no']}-{title}.docx")
    path, _ = QFileDialog.getSaveFileName(parent, "保存文书", str(suggested), "Word 文档 (*.docx)")
    if not path:
        return
    try:
        info = request_docs.write(session.db, request["id"], kind, path, db_path=session.db_path)
    except Exception as exc:
        show_error(parent, exc)
        return
    session.status_message.emit(f"已生成{title}：{info['path']}")
