"""core.ledger.search: trigram index, LIKE fallback, pinyin, refresh after writes by anyone."""

from core import ledger, records
from core.ledger import search
from tests.ledger_fixtures import make_ledger


def test_pinyin_key_has_full_pinyin_and_initials():
    assert search.pinyin_key("政策解读") == "zhengcejiedu zcjd"
    assert search.pinyin_key("2024年，ABC") == "2024nianabc 2024nabc"
    assert search.pinyin_key("") == " "


def test_chinese_substrings_long_and_short(town_db):
    ids = make_ledger(town_db)
    assert set(search.search_ids(town_db, "政策解读")) == {ids["1"], ids["2"]}  # trigram
    assert search.search_ids(town_db, "培训") == [ids["5"]]  # two characters: LIKE
    assert search.search_ids(town_db, "训") == [ids["5"]]
    assert search.search_ids(town_db, "不存在的词") == []
    assert search.search_ids(town_db, "   ") == []


def test_pinyin_full_and_initials(town_db):
    ids = make_ledger(town_db)
    assert search.search_ids(town_db, "zcpj") == [ids["2"]]
    assert search.search_ids(town_db, "zhengcepingjia") == [ids["2"]]
    assert search.search_ids(town_db, "ZCPJ") == [ids["2"]]
    assert search.search_ids(town_db, "px") == [ids["5"]]  # 培训, initials under 3 letters


def test_several_words_must_all_match(town_db):
    ids = make_ledger(town_db)
    assert search.search_ids(town_db, "政策 评价") == [ids["2"]]
    assert search.search_ids(town_db, "zcjd 同步") == [ids["1"]]


def test_index_follows_measures_progress_and_people(town_db):
    ids = make_ledger(town_db)
    ledger.set_measures(town_db, ids["3"], ["建立网站巡查机制"])
    ledger.add_progress(town_db, ids["4"], "2024-07-01", "报送年度报表给网信办")
    ledger.update_entry(town_db, ids["5"], {"leader": "欧阳明"})
    assert search.search_ids(town_db, "巡查") == [ids["3"]]
    assert search.search_ids(town_db, "网信办") == [ids["4"]]
    assert search.search_ids(town_db, "oym") == [ids["5"]]
    ledger.set_measures(town_db, ids["3"], ["别的举措"])
    assert search.search_ids(town_db, "巡查") == []


def test_task_change_by_another_module_is_found(town_db):
    ids = make_ledger(town_db)
    task_id = town_db["entries"].get(ids["3"])["task_id"]
    records.update(town_db, "tasks", task_id, {"requirement": "规范政务新媒体矩阵"})
    assert search.search_ids(town_db, "矩阵") == [ids["3"]]
    records.delete(town_db, "entries", ids["3"])
    assert search.search_ids(town_db, "矩阵") == []


def test_quotes_and_wildcards_are_literal(town_db):
    make_ledger(town_db)
    assert search.search_ids(town_db, '"政策') == []
    assert search.search_ids(town_db, "%") == []
    assert search.search_ids(town_db, "_") == []


def test_rebuild(town_db):
    ids = make_ledger(town_db)
    search.refresh(town_db)
    town_db.execute("DELETE FROM entry_fts")
    assert search.search_ids(town_db, "培训") == []
    assert search.rebuild(town_db) == 5
    assert search.search_ids(town_db, "培训") == [ids["5"]]


QUERIES = ["政策解读", "培训", "训", "zcpj", "zhengcepingjia", "ZCPJ", "px", "政策 评价", "zcjd 同步",
           "不存在的词", "   ", "2024", "%", "_", '"']


def test_text_cache_gives_the_same_answers_as_the_index(town_db):
    ids = make_ledger(town_db)
    ledger.add_progress(town_db, ids["3"], "2024-05-06", "召开政务公开培训会，100% 参会")
    cache = search.TextCache.load(town_db)
    assert sorted(cache.ids) == sorted(ids.values())
    for query in QUERIES:
        assert cache.matching_ids(query) == search.matching_ids(town_db, query), query
    assert cache.matching_ids("100%") == {ids["3"]}


def test_text_cache_typing_forward_and_back_matches_the_index(town_db):
    make_ledger(town_db)
    cache = search.TextCache.load(town_db)
    typed = ["z", "zc", "zcj", "zcjd", "zcj", "j", "ji", "jie", "jied", "jiedu", "政", "政策", "政策评", "政策评价",
             "政策 ", "政策 评", "政策 评价", "政", ""]
    for query in typed:
        assert cache.matching_ids(query) == search.matching_ids(town_db, query), query


def test_letters_reach_initials_from_two_and_full_pinyin_from_three(town_db):
    ids = make_ledger(town_db)
    assert search.search_ids(town_db, "z") == []  # every entry's pinyin has a z: no use to anyone
    assert ids["2"] in search.search_ids(town_db, "zc")  # 政策: initials
    assert search.search_ids(town_db, "ce") == []  # inside zheng·ce·ping·jia only: not in initials
    assert ids["2"] in search.search_ids(town_db, "cep")  # three letters: full pinyin too


def test_text_cache_keeps_the_matching_ids_in_the_given_order(town_db):
    ids = make_ledger(town_db)
    cache = search.TextCache.load(town_db)
    order = [ids[s] for s in ("5", "4", "3", "2", "1")] + ["not-in-the-cache"]
    found = cache.matching_positions("政策")
    assert cache.keep(order, found) == [i for i in order if i in cache.matching_ids("政策")]
    assert cache.keep(order, []) == []


def test_a_large_backlog_can_be_left_for_the_background(town_db):
    ids = make_ledger(town_db)
    assert search.matching_ids(town_db, "政策解读") == {ids["1"], ids["2"]}
    ledger.add_progress(town_db, ids["5"], "2024-05-06", "开展政策解读培训")
    assert search.pending(town_db) == 1
    assert search.matching_ids(town_db, "政策解读", refresh_up_to=0) == {ids["1"], ids["2"]}  # lags
    assert search.pending(town_db) == 1
    assert search.matching_ids(town_db, "政策解读", refresh_up_to=1) == {ids["1"], ids["2"], ids["5"]}
    assert search.pending(town_db) == 0
