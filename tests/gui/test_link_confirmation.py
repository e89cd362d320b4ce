"""A link's full address is shown before it opens; nothing opens without a yes."""


def test_confirm_link_shows_the_full_address_and_needs_a_yes(qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from gui.entry_detail import confirm_link

    address = "https://www.example.gov.cn/a/very/long/path/that/is/shown/in/full?x=1&y=2"
    shown = []

    def answer(reply):
        def exec_(box):
            shown.append(box.informativeText())
            return reply
        return exec_

    monkeypatch.setattr(QMessageBox, "exec", answer(QMessageBox.Cancel))
    assert confirm_link(None, address) is False
    monkeypatch.setattr(QMessageBox, "exec", answer(QMessageBox.Open))
    assert confirm_link(None, address) is True
    assert shown == [address, address]
