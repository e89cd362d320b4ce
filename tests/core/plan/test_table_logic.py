"""Table logic on hand-made grids."""

from core.plan.model import Block, Cell
from core.plan.table_logic import combine_units, join_split_fragments, tasks_from_blocks
from core.plan.text import clean, seq_text


def grid(rows):
    return Block("table", rows=[[Cell(t, (r, c)) for c, t in enumerate(row)] for r, row in enumerate(rows)], name="表1")


def test_clean_text():
    assert clean("紧 扣 维 护") == "紧扣维护"
    assert clean("重大政策\n起草单位") == "重大政策起草单位"
    assert clean("12345 政务服务") == "12345 政务服务"
    assert clean("IPv6\nupgrade") == "IPv6 upgrade"
    assert [seq_text(v) for v in (1, 1.0, "1", " 1. ", "1、", "（一）")] == ["1", "1", "1", "1", "1", "（一）"]


def test_combine_units():
    assert combine_units("甲", "乙") == "甲牵头，乙配合"
    assert combine_units("甲牵头", "乙配合") == "甲牵头，乙配合"
    assert combine_units("甲", "") == "甲"
    assert combine_units("", "乙") == "乙配合"


def test_split_fragment_join():
    values = [{"raw": r, "text": clean(r), "merged": False, "spanned": False} for r in ("加强推动 高质量发", "展信息公 开", "")]
    join_split_fragments(values)
    assert values[0]["text"] == "加强推动高质量发展信息公开" and values[1]["text"] == ""


def test_a_name_begun_again_on_the_next_page_is_not_joined_to_itself():
    raws = ("紧扣 夯实 基础 深化 公开", "紧扣 夯实", "基础 深化 公开")
    values = [{"raw": r, "text": clean(r), "merged": False, "spanned": False} for r in raws]
    join_split_fragments(values)
    assert [v["text"] for v in values] == ["紧扣夯实基础深化公开", "紧扣夯实基础深化公开", ""]


def test_whole_names_are_not_joined():
    values = [{"raw": r, "text": clean(r), "merged": False, "spanned": False} for r in ("政策解读", "平台建设")]
    join_split_fragments(values)
    assert [v["text"] for v in values] == ["政策解读", "平台建设"]


def test_headerless_continuation_and_cut_row():
    header = ["序号", "工作任务", "工作要求", "责任单位"]
    blocks = [grid([header, ["1", "公开", "做好政务", "各镇"]]), Block("p", text="— 3 —"),
              grid([["", "", "公开工作", ""], ["2", "", "做好解读", ""]])]
    warnings = []
    tasks = tasks_from_blocks(blocks, warnings)
    assert [(t.seq, t.requirement, t.units) for t in tasks] == [("1", "做好政务公开工作", "各镇"), ("2", "做好解读", "各镇")]
    assert tasks[1].filled == ["category", "units"]


def test_repeated_header_inside_one_grid_is_skipped():
    header = ["序号", "工作任务", "工作要求", "责任单位"]
    tasks = tasks_from_blocks([grid([header, ["1", "公开", "甲", "各镇"], header, ["2", "公开", "乙", "各镇"]])], [])
    assert [t.seq for t in tasks] == ["1", "2"]
