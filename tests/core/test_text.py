from hypothesis import given, strategies as st

from core.text import has_forbidden, normalise, printable


def test_word_line_breaks_become_newlines():
    assert normalise("第一行\x0b第二行\r\n第三行\r第四行") == "第一行\n第二行\n第三行\n第四行"


def test_control_characters_are_removed_tab_and_newline_kept():
    raw = "a\x00b\x01c\x1fd\x7fe\x80f\x9fg\ufffeh\uffffi\ud800j\tk\nl"
    assert normalise(raw) == "abcdefghij\tk\nl"


def test_trim_and_keep_spaces():
    assert normalise("  进展  ") == "进展"
    assert normalise("  进展  ", strip=False) == "  进展  "
    assert normalise(None) == ""
    assert normalise(12) == "12"


def test_printable_leaves_clean_text_alone():
    assert printable(" 已完成 ") == " 已完成 "
    assert printable("a\x0bb") == "a\nb"


@given(st.text())
def test_normalised_text_is_stable_and_clean(text):
    once = normalise(text)
    assert normalise(once) == once
    assert not has_forbidden(once)
    assert all(ch in "\t\n" or ord(ch) >= 0x20 for ch in once)
