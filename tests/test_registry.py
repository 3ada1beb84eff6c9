"""lingyi/registry.py: the 108 units, name normalisation and matching (spec §1)."""

from __future__ import annotations

import pytest

from lingyi.contract import CATEGORIES
from lingyi.errors import RegistryError, UnknownName
from lingyi.registry import categories_or_error, normalise, parse_registry

HUMAN_RESOURCES = "临沂市人力资源和社会保障局"

BRACKETED_REGISTRY = (
    "单位全称,单位简称,单位类别,别名\n"
    "临沂市民政局,市民政局,社会服务,民政局\n"
    "临沂市社会福利院（临沂市儿童福利院）,市社会福利院,社会服务,福利院（儿童福利院）\n"
)


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("  临沂市民政局  ", "临沂市民政局"),
        ("临沂市 民政局", "临沂市民政局"),
        ("临沂市\u3000民政局", "临沂市民政局"),  # an ideographic space
        ("临沂市民政局\n", "临沂市民政局"),
        ("市人社局（临沂）", "市人社局(临沂)"),
        ("ＡＢＣ１２３", "ABC123"),
        (None, ""),
    ],
)
def test_normalise_trims_drops_inner_spaces_and_folds_full_width(text, normal):
    assert normalise(text) == normal


def test_default_registry_lists_108_units_in_six_categories(registry):
    assert len(registry) == 108
    assert list(registry.frame["category"].cat.categories) == list(CATEGORIES)
    assert set(registry.frame["category"]) == set(CATEGORIES)
    assert registry.frame["unit"].is_unique


@pytest.mark.parametrize(
    ("written", "unit"),
    [
        ("临沂市人力资源和社会保障局", HUMAN_RESOURCES),  # full name
        ("市人力资源社会保障局", HUMAN_RESOURCES),  # short name
        ("市人社局", HUMAN_RESOURCES),  # alias
        ("人社局", HUMAN_RESOURCES),  # second alias
        (" 市人社局 ", HUMAN_RESOURCES),
        ("市 人社 局", HUMAN_RESOURCES),
        ("市人社局\u3000", HUMAN_RESOURCES),
        ("临沂市民政局", "临沂市民政局"),
        ("市民政局", "临沂市民政局"),
        ("民政局", "临沂市民政局"),
        # the registry's full name has an inner space; returns write it with or without
        ("中共临沂市纪律检查委员会 临沂市监察委员会机关", "中共临沂市纪律检查委员会 临沂市监察委员会机关"),
        ("中共临沂市纪律检查委员会临沂市监察委员会机关", "中共临沂市纪律检查委员会 临沂市监察委员会机关"),
        ("市纪委监委", "中共临沂市纪律检查委员会 临沂市监察委员会机关"),
        ("团市委", "共青团临沂市委员会"),
    ],
)
def test_unit_matches_by_full_name_short_name_or_alias(registry, written, unit):
    assert registry.match(written).name == unit
    assert registry.resolve(written).name == unit


@pytest.mark.parametrize(
    "written",
    [
        "临沂市社会福利院（临沂市儿童福利院）",
        "临沂市社会福利院(临沂市儿童福利院)",
        "临沂市社会福利院（临沂市儿童福利院)",
        "临沂市社会福利院 ( 临沂市儿童福利院 )",
        "福利院(儿童福利院)",
        "福利院（儿童福利院）",
    ],
)
def test_full_width_and_half_width_brackets_match_alike(written):
    registry = parse_registry(BRACKETED_REGISTRY.encode())
    assert registry.match(written).name == "临沂市社会福利院（临沂市儿童福利院）"


@pytest.mark.parametrize("written", ["临沂市民证局", "市人社厅", "民政", "", "临沂市民政局局"])
def test_anything_else_does_not_match(registry, written):
    assert registry.match(written) is None


@pytest.mark.parametrize(
    ("written", "suggestion"),
    [
        ("市人社厅", "市人社局（临沂市人力资源和社会保障局）"),
        ("临沂市人社局", "市人社局（临沂市人力资源和社会保障局）"),
        ("市人设局", "市人社局（临沂市人力资源和社会保障局）"),
        ("临沂市民证局", "临沂市民政局"),
        ("市财正局", "市财政局（临沂市财政局）"),
    ],
)
def test_unknown_unit_offers_the_closest_registry_names(registry, written, suggestion):
    suggestions = registry.suggest(written)
    assert suggestions[0] == suggestion
    assert 1 <= len(suggestions) <= 3


def test_resolve_of_an_unknown_unit_never_guesses_and_says_what_was_meant(registry):
    with pytest.raises(UnknownName) as raised:
        registry.resolve("市人社厅")
    assert str(raised.value).startswith(
        "名录中没有单位「市人社厅」。您是不是要找：市人社局（临沂市人力资源和社会保障局）"
    )
    assert str(raised.value).endswith("？")
    assert raised.value.suggestions[0] == "市人社局（临沂市人力资源和社会保障局）"


def test_unknown_name_with_nothing_close_asks_to_check_the_registry(registry):
    with pytest.raises(UnknownName, match="名录中没有单位「xyz」。请检查名称是否与名录一致。"):
        registry.resolve("xyz")


def test_units_in_narrows_to_categories_and_names(registry):
    enterprises = registry.units_in(categories=["国有企业"])
    assert len(enterprises) == 14
    assert {u.category for u in enterprises} == {"国有企业"}
    chosen = registry.units_in(names=["市人社局", "民政局"])
    assert [u.name for u in chosen] == ["临沂市民政局", HUMAN_RESOURCES]
    assert registry.units_in(categories=["国有企业"], names=["民政局"]) == []


def test_unit_label_is_short_name_with_full_name():
    assert parse_registry(BRACKETED_REGISTRY.encode()).match("民政局").label == "市民政局（临沂市民政局）"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_registry_file_may_be_utf8_bom_or_gbk(encoding):
    registry = parse_registry(BRACKETED_REGISTRY.encode(encoding))
    assert [u.name for u in registry.units] == ["临沂市民政局", "临沂市社会福利院（临沂市儿童福利院）"]
    assert registry.match("福利院(儿童福利院)").aliases == ("福利院（儿童福利院）",)


def test_registry_round_trips_through_its_csv(registry):
    again = parse_registry(registry.to_csv_bytes())
    assert [(u.name, u.short_name, u.category, u.aliases) for u in again.units] == [
        (u.name, u.short_name, u.category, u.aliases) for u in registry.units
    ]


@pytest.mark.parametrize(
    ("content", "messages"),
    [
        ("", ["名录文件是空的。"]),
        ("单位全称,单位简称,别名\n临沂市民政局,市民政局,\n", ["缺少列「单位类别」"]),
        ("单位全称,单位简称,单位类别,别名\n临沂市民政局,市民政局,社会事业,\n", ["单位类别须为：党政综合、经济发展"]),
        ("单位全称,单位简称,单位类别,别名\n临沂市民政局,,社会服务,\n", ["单位全称和单位简称都必须填写。"]),
        (
            "单位全称,单位简称,单位类别,别名\n临沂市民政局,市民政局,社会服务,民政\n临沂市民宗局,市民宗局,社会服务,民政\n",
            ["名称「民政」与第2行重复，一个名称只能指向一个单位。"],
        ),
        ("单位全称,单位简称,单位类别,别名\n", ["名录中没有任何单位。"]),
        (
            "单位全称,单位简称,单位类别,别名\n甲,甲简,其他,\n乙,,社会服务,\n",
            ["单位类别须为", "单位全称和单位简称都必须填写。"],
        ),
    ],
)
def test_invalid_registry_file_reports_every_problem(content, messages):
    with pytest.raises(RegistryError) as raised:
        parse_registry(content.encode(), "新名录.csv")
    text = str(raised.value)
    assert len(raised.value.findings) == len(messages)
    for message in messages:
        assert message in text
    assert "文件「新名录.csv」" in text


def test_duplicate_name_is_located_by_row():
    content = (
        "单位全称,单位简称,单位类别,别名\n临沂市民政局,市民政局,社会服务,民政\n临沂市民宗局,市民宗局,社会服务,民政\n"
    )
    with pytest.raises(RegistryError) as raised:
        parse_registry(content.encode())
    assert [(f.row, f.value) for f in raised.value.findings] == [(3, "民政")]


def test_unknown_category_offers_close_categories():
    assert categories_or_error(["执法监督", "国有企业"]) == ["执法监督", "国有企业"]
    with pytest.raises(UnknownName, match="名录中没有单位类别「执法监察」。您是不是要找：执法监督？"):
        categories_or_error(["执法监察"])


def test_a_registry_column_bu_bao_song_marks_kinds_a_unit_does_not_send():
    content = "单位全称,单位简称,单位类别,别名,不报送\n临沂市民政局,市民政局,社会服务,民政局,热线指标；问题清单\n临沂市财政局,市财政局,经济发展,,\n"
    registry = parse_registry(content.encode())
    assert registry.by_name["临沂市民政局"].exempt == {"hotline", "problems"}
    assert registry.by_name["临沂市财政局"].exempt == frozenset()
    assert parse_registry(registry.to_csv_bytes()).by_name["临沂市民政局"].exempt == {"hotline", "problems"}


def test_an_unknown_kind_in_bu_bao_song_is_located():
    content = "单位全称,单位简称,单位类别,别名,不报送\n临沂市民政局,市民政局,社会服务,,热线\n"
    with pytest.raises(RegistryError) as raised:
        parse_registry(content.encode())
    (finding,) = raised.value.findings
    assert (finding.row, finding.value) == (2, "热线")
    assert "热线指标" in finding.message


def test_a_registry_without_exemptions_writes_the_four_columns_it_was_given(registry):
    assert registry.to_csv_bytes().decode().splitlines()[0] == "单位全称,单位简称,单位类别,别名"
