"""Render app.svg into app.ico (Windows executable icon) and app.png. Run once after changing the SVG."""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent


def render(size: int) -> QImage:
    image = QImage(size, size, QImage.Format_ARGB32)
    image.fill(Qt.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(HERE / "app.svg")).render(painter)
    painter.end()
    return image


if __name__ == "__main__":
    app = QGuiApplication(sys.argv)
    render(256).save(str(HERE / "app.png"))
    if not render(256).save(str(HERE / "app.ico")):
        sys.exit("此 Qt 不能写 ICO 文件")
