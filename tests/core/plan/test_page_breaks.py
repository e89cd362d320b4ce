"""A plan that went through "PDF转Word": one table per printed page, each repeating the header,
续表 and page numbers between them, spaced characters, and task names cut at the page breaks
in the three ways seen: repeated at the top of the page, left blank, split in two."""

import pytest

from core.plan import read_plan
from core.plan.model import Block, Cell
from core.plan.table_logic import tasks_from_blocks

U = "^"
HEADER = ["序号", "工作任务", "<", "工作要求", "责任单位", "时限要求"]
L1A, L1B, L1C = "深化重点领域信息公开", "推进基层政务公开标准化规范化建设", "提升平台建设水平"

PAGES = [
    [HEADER,
     ["1", L1A, "推进财政信息公开", "做好预决算公开", "县财政局", "每年3月31日前"],
     ["2", U, U, "做好政府债务信息公开", U, U],
     ["3", U, "加强政策解读", "做好解读材料同步发布", "县政府各部门", "文件公开后3个工作日内"]],
    # level 1 and level 2 repeated (level 1 with PDF letter spacing); units and deadline left blank
    [HEADER,
     ["4", "深 化 重 点 领 域 信 息 公 开", "加强政策解读", "开展多元化解读", "", ""],
     ["5", "推进基层政务公开标准化规", "规范事项目录", "编制公开事项目录", "各镇人民政府", "6月底前"]],
    # level 1 split: its rest at the top of the page, level 2 left blank
    [HEADER,
     ["6", "范化建设", "", "动态更新目录", "", ""],
     ["7", U, "完善公开专区", "建设公开专区", "各镇人民政府", "年底前"]],
    # both levels left blank; the last requirement cut mid-sentence by the next break
    [HEADER,
     ["8", "", "", "专区信息及时更新", "", ""],
     ["9", L1C, "优化政府网站", "网站栏目整合，做好", "县政府办公室", "长期坚持"]],
    [HEADER,
     ["", "", "", "网站适老化改造", "", ""],
     ["10", "", "", "做好政务新媒体管理", "", ""]],
]

# (seq, category, requirement, units, deadline, filled, joined): what a careful reader writes down
EXPECTED = [
    ("1", [L1A, "推进财政信息公开"], "做好预决算公开", "县财政局", "每年3月31日前", [], []),
    ("2", [L1A, "推进财政信息公开"], "做好政府债务信息公开", "县财政局", "每年3月31日前", [], []),
    ("3", [L1A, "加强政策解读"], "做好解读材料同步发布", "县政府各部门", "文件公开后3个工作日内", [], []),
    ("4", [L1A, "加强政策解读"], "开展多元化解读", "县政府各部门", "文件公开后3个工作日内", ["deadline", "units"], []),
    ("5", [L1B, "规范事项目录"], "编制公开事项目录", "各镇人民政府", "6月底前", [], ["category"]),
    ("6", [L1B, "规范事项目录"], "动态更新目录", "各镇人民政府", "6月底前", ["category", "deadline", "units"], ["category"]),
    ("7", [L1B, "完善公开专区"], "建设公开专区", "各镇人民政府", "年底前", [], ["category"]),
    ("8", [L1B, "完善公开专区"], "专区信息及时更新", "各镇人民政府", "年底前", ["category", "deadline", "units"], []),
    ("9", [L1C, "优化政府网站"], "网站栏目整合，做好网站适老化改造", "县政府办公室", "长期坚持", [], ["requirement"]),
    ("10", [L1C, "优化政府网站"], "做好政务新媒体管理", "县政府办公室", "长期坚持", ["category", "deadline", "units"], []),
]


def converted_parts(notice, page_break=False):
    """The notice, then the pages' tables with 续表 and "— n —" between them."""
    parts = list(notice) + ["附件", "2024年测试县政务公开重点任务分解表"]
    for number, page in enumerate(PAGES, start=1):
        if number > 1:
            parts += [f"— {number} —"] + (["PAGE"] if page_break else []) + ["续表"]
        parts.append(page)
    return parts


def full(plan):
    return [(t.seq, t.category, t.requirement, t.units, t.deadline, t.filled, t.joined) for t in plan.tasks]


def test_pdf_converted_docx_reads_as_a_careful_reader_would(tmp_path, build):
    plan = read_plan(build.docx(tmp_path / "converted.docx", converted_parts(build.notice)))
    assert full(plan) == EXPECTED
    assert plan.warnings == []


def test_joined_marks_reach_the_cli_json_beside_filled(tmp_path, build):
    plan = read_plan(build.docx(tmp_path / "converted.docx", converted_parts(build.notice)))
    data = plan.as_json()["tasks"]
    assert data[4]["joined"] == ["category"] and data[4]["filled"] == []
    assert data[8]["joined"] == ["requirement"]
    assert "joined" not in data[0]  # only where something was joined: the contract's fields stay as they were


def test_the_same_pages_as_a_libreoffice_pdf(tmp_path, build, soffice_pdf):
    docx = build.docx(tmp_path / "converted.docx", converted_parts(build.notice, page_break=True), ruled=True)
    plan = read_plan(soffice_pdf(docx))
    assert full(plan) == EXPECTED
    assert [t.page for t in plan.tasks] == [1, 1, 1, 2, 2, 3, 3, 4, 4, 5]
    assert plan.tasks[0].source.startswith("第1页") and plan.tasks[3].source.startswith("第2页")


def _grid(name, rows):
    return Block("table", rows=[[Cell(t, (name, r, c)) for c, t in enumerate(row)] for r, row in enumerate(rows)], name=name)


def test_one_level_name_cut_after_an_open_word_is_joined():
    header = ["序号", "工作任务", "工作要求", "责任单位", "完成时限"]
    blocks = [_grid("表1", [header, ["1", "推进决策、", "公开决策草案", "各镇", "6月底前"]]),
              Block("p", text="续表"),
              _grid("表2", [header, ["2", "执行公开", "公开执行情况", "", ""], ["3", "政策解读", "做好解读", "各部门", "长期坚持"]])]
    tasks = tasks_from_blocks(blocks, [])
    assert [(t.category, t.units, t.deadline, t.filled) for t in tasks] == [
        (["推进决策、执行公开"], "各镇", "6月底前", []),
        (["推进决策、执行公开"], "各镇", "6月底前", ["deadline", "units"]),
        (["政策解读"], "各部门", "长期坚持", []),
    ]


def test_a_new_name_at_the_top_of_a_page_is_not_joined():
    header = ["序号", "工作任务", "工作任务", "工作要求", "责任单位"]
    blocks = [_grid("表1", [header, ["1", "政务公开", "推进决策公开", "做好决策公开", "各镇"]]),
              _grid("表2", [header, ["2", "平台建设", "优化网站", "网站集约化", ""]])]
    tasks = tasks_from_blocks(blocks, [])
    assert [t.category for t in tasks] == [["政务公开", "推进决策公开"], ["平台建设", "优化网站"]]
    assert tasks[1].joined == [] and tasks[1].filled == ["units"]


@pytest.fixture
def soffice_pdf(tmp_path):
    """Convert a .docx to PDF with LibreOffice; the test is skipped when it is not installed."""
    from core.plan.convert import soffice_path

    program = soffice_path()
    if not program:
        pytest.skip("LibreOffice (soffice) is not installed")

    def convert(path):
        import subprocess

        out = tmp_path / "pdf"
        profile = (tmp_path / "lo-profile").as_uri()
        subprocess.run([program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", str(out), str(path)],
                       capture_output=True, timeout=180, check=False, stdin=subprocess.DEVNULL)
        result = out / (path.stem + ".pdf")
        if not result.exists():
            pytest.skip("LibreOffice could not convert the test document")
        return result

    return convert


def test_a_row_cut_in_two_joins_its_name_and_its_requirement():
    header = ["序号", "工作任务", "工作要求", "责任单位", "完成时限"]
    blocks = [_grid("表1", [header, ["1", "推进政务公开标", "做好目录编制和", "各镇", "6月底前"]]),
              Block("p", text="— 2 —"),
              _grid("表2", [header, ["", "准化", "动态更新工作", "", ""], ["2", "", "建设公开专区", "", ""]])]
    tasks = tasks_from_blocks(blocks, [])
    assert [(t.seq, t.category, t.requirement, t.units, t.deadline, t.joined) for t in tasks] == [
        ("1", ["推进政务公开标准化"], "做好目录编制和动态更新工作", "各镇", "6月底前", ["category", "requirement"]),
        ("2", ["推进政务公开标准化"], "建设公开专区", "各镇", "6月底前", []),
    ]
    assert tasks[1].filled == ["category", "deadline", "units"]


def test_a_heading_alone_at_the_top_of_a_page_is_not_joined():
    header = ["序号", "工作任务", "工作要求", "责任单位"]
    blocks = [_grid("表1", [header, ["1", "公开", "做好决策公开。", "各镇"]]),
              _grid("表2", [header, ["", "优化政务平台建设", "", ""], ["2", "", "网站集约化", "县政府办公室"]])]
    tasks = tasks_from_blocks(blocks, [])
    assert [t.category for t in tasks] == [["公开"], ["优化政务平台建设"]]


def test_without_a_number_column_a_requirement_is_joined_only_when_it_is_visibly_cut():
    header = ["工作任务", "工作要求", "责任单位"]
    blocks = [_grid("表1", [header, ["政务公开", "做好预决算公开和", "县财政局"]]),
              _grid("表2", [header, ["", "债务信息公开", ""], ["", "做好政策解读", ""]]),
              _grid("表3", [header, ["", "做好网站管理", ""]])]
    tasks = tasks_from_blocks(blocks, [])
    assert [(t.seq, t.requirement, t.units, t.joined) for t in tasks] == [
        ("1", "做好预决算公开和债务信息公开", "县财政局", ["requirement"]),
        ("2", "做好政策解读", "县财政局", []),
        ("3", "做好网站管理", "县财政局", []),  # the task above ended whole: a blank unit here is 同上
    ]
