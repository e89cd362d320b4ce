"""The pinned Qt binding must not corrupt Python's reference counts.

PySide6-Essentials 6.12.0 on Python 3.11 dropped one reference to None on every call of a
method returning nothing; after a few thousand calls (a 5,000-item overdue list) the window
crashed with "none_dealloc". This guards the pin against such a release.
"""

import sys

from PySide6.QtWidgets import QListWidget


def test_void_calls_leave_the_refcount_of_none_alone(qtbot):
    widget = QListWidget()
    qtbot.addWidget(widget)
    before = sys.getrefcount(None)
    for n in range(2000):
        widget.setWindowTitle("台账")
        widget.addItem(f"第{n}项")
    assert abs(sys.getrefcount(None) - before) < 100


def test_a_long_list_can_be_filled(qtbot):
    widget = QListWidget()
    qtbot.addWidget(widget)
    for n in range(20000):
        widget.addItem(f"第{n}项")
    assert widget.count() == 20000
