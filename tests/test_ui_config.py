from dataclasses import replace

import pytest

from ui.config import (
    DEFAULT,
    FIELDS,
    LEARNING_RATES,
    PlaygroundConfig,
    checked,
    from_query,
    learning_rates,
    to_query,
)
from ui.lecture import backprop, neuron, xor


def test_defaults_make_an_empty_link():
    assert to_query(DEFAULT) == {}
    assert from_query({}) == (DEFAULT, [])


def test_round_trip_through_the_query_string():
    c = PlaygroundConfig(
        dataset="spiral",
        n_points=300,
        noise=25,
        train_pct=70,
        data_seed=4,
        features=("x1", "x2", "sin_x1"),
        hidden=(8, 8, 3),
        hidden_act=("relu", "tanh", "sign"),
        output_act="sigmoid",
        cost="cross_entropy",
        init="scaled",
        seed=99,
        learning_rate=0.003,
        batch_size=10,
        speed=5,
        discretize=True,
        show_test=True,
    )
    query = to_query(c)
    assert all(isinstance(v, str) for v in query.values())
    assert from_query(query) == (c, [])


def test_every_field_has_a_distinct_key():
    assert len({f.key for f in FIELDS}) == len(FIELDS)
    assert {f.attr for f in FIELDS} == set(PlaygroundConfig.__dataclass_fields__)


@pytest.mark.parametrize(
    ("key", "value", "hint"),
    [
        ("dataset", "moons", "expected one of"),
        ("points", "-5", "from 10 to 2000"),
        ("points", "1e9", "from 10 to 2000"),
        ("noise", "51", "from 0 to 50"),
        ("hidden", "4,0", "from 1 to 12"),
        ("hidden", ",".join(["2"] * 9), "0 to 8 comma-separated"),
        ("act", "softmax", "expected one of"),
        ("lr", "nan", "from 1e-06 to 1000"),
        ("lr", "inf", "from 1e-06 to 1000"),
        ("lr", "0", "from 1e-06 to 1000"),
        ("seed", "abc", "whole number"),
        ("features", "x1,x1", "each feature may appear once"),
        ("features", "", "1 to 7 comma-separated"),
        ("test", "maybe", "true or false"),
        ("classes", "11", "from 2 to 10"),
        ("classes", "1", "from 2 to 10"),
        ("out", "softmaxx", "expected one of"),
        ("reg", "l3", "expected one of l1, l2, none"),
        ("regrate", "-0.1", "from 0 to 10"),
        ("regrate", "nan", "from 0 to 10"),
        ("regrate", "11", "from 0 to 10"),
        ("dataset", "x" * 5000, "longer than 200 characters"),
        ("dataset", "🙂", "expected one of"),
    ],
)
def test_a_bad_value_keeps_its_default_with_a_notice(key, value, hint):
    config, notices = from_query({key: value, "seed": "7"} if key != "seed" else {key: value})
    field = next(f for f in FIELDS if f.key == key)
    assert getattr(config, field.attr) == getattr(DEFAULT, field.attr)
    assert len(notices) == 1 and f"Ignored {key}=" in notices[0] and hint in notices[0]
    if key != "seed":
        assert config.seed == 7  # the good values of the same link are kept


def test_repeated_keys_use_the_last_value_and_unknown_keys_are_ignored():
    config, notices = from_query({"dataset": ["xor", "gauss"], "bogus": "1"})
    assert config.dataset == "gauss" and notices == []


def test_inconsistent_combinations_are_repaired_with_a_notice():
    c, notes = checked(PlaygroundConfig(dataset="sine_1d", features=("x1", "x2", "x1_sq")))
    assert c.features == ("x1", "x1_sq") and "one input x₁" in notes[0]
    c, notes = checked(PlaygroundConfig(hidden=(3, 3), hidden_act=("relu", "tanh", "sigmoid")))
    assert c.hidden_act == ("relu",) and "the first one is used" in notes[0]
    c, notes = checked(PlaygroundConfig(cost="cross_entropy", output_act="tanh"))
    assert c.cost == "quadratic" and "sigmoid or softmax output" in notes[0]


@pytest.mark.parametrize(
    "config",
    [
        PlaygroundConfig(dataset="spiral", classes=3),
        PlaygroundConfig(dataset="gauss", classes=6, output_act="softmax", cost="cross_entropy"),
        PlaygroundConfig(dataset="xor", output_act="softmax"),
        PlaygroundConfig(regularization="l2", reg_rate=0.01),
        PlaygroundConfig(regularization="l1", reg_rate=3.0, delta_view="weights"),
        PlaygroundConfig(regularization="none", reg_rate=0.3),  # λ kept while off
    ],
)
def test_classes_softmax_and_regularisation_round_trip_through_the_link(config):
    query = to_query(config)
    assert from_query(query) == (config, [])
    for key in ("classes", "out", "reg", "regrate", "dview"):
        field = next(f for f in FIELDS if f.key == key)
        assert (key in query) == (getattr(config, field.attr) != getattr(DEFAULT, field.attr))


def test_the_link_writes_the_new_params_as_documented():
    config = PlaygroundConfig(
        dataset="spiral", classes=3, output_act="softmax", regularization="l2", reg_rate=0.01
    )
    assert to_query(config) == {
        "dataset": "spiral",
        "classes": "3",
        "out": "softmax",
        "reg": "l2",
        "regrate": "0.01",
    }


def test_tensorflow_playground_names_of_the_regularisation_are_read():
    config, notices = from_query({"regularization": "L1", "regularizationRate": "0.03"})
    assert (config.regularization, config.reg_rate, notices) == ("l1", 0.03, [])
    # our own key wins when both are given; a bad alias is reported by the name it came with
    config, _ = from_query({"reg": "l2", "regularization": "L1"})
    assert config.regularization == "l2"
    config, notices = from_query({"regularizationRate": "lots"})
    assert config.reg_rate == 0.0 and "Ignored regularizationRate='lots'" in notices[0]


def test_output_layer_follows_the_classes():
    assert PlaygroundConfig(dataset="spiral", classes=3).sizes == [2, 4, 2, 3]
    assert PlaygroundConfig(dataset="spiral").sizes == [2, 4, 2, 1]  # two classes: one output
    assert PlaygroundConfig(output_act="softmax").sizes == [2, 4, 2, 2]  # one per class


def test_classes_the_data_set_cannot_draw_are_repaired_with_a_notice():
    c, notes = checked(PlaygroundConfig(dataset="spiral", classes=9))
    assert c.classes == 6 and "spiral has 2 to 6 classes, not 9; using 6" in notes[0]
    c, notes = checked(PlaygroundConfig(dataset="circle", classes=3))
    assert c.classes == 2 and "circle has 2 classes" in notes[0]
    c, notes = checked(PlaygroundConfig(dataset="plane", output_act="softmax"))
    assert c.output_act == "tanh" and "softmax output is for classes" in notes[0]
    c, notes = checked(PlaygroundConfig(cost="cross_entropy", output_act="softmax"))
    assert (c.cost, notes) == ("cross_entropy", [])


def test_uploaded_data_keeps_its_classes_out_of_the_link():
    config = PlaygroundConfig(dataset="custom", classes=4, hidden=(3,))
    assert to_query(config) == {"hidden": "3"}


def test_sizes_and_activations_follow_the_lecture_layers():
    c = PlaygroundConfig(features=("x1", "x2", "x1x2"), hidden=(5, 3), hidden_act=("relu",))
    assert c.sizes == [3, 5, 3, 1]
    assert c.activations == ["relu", "relu", "tanh"]
    assert PlaygroundConfig(hidden=()).activations == ["tanh"]


def test_no_features_gets_x1_with_a_notice():
    c, notes = checked(PlaygroundConfig(features=()))
    assert c.features == ("x1",) and "at least one input feature" in notes[0]


def test_describe_difference_names_what_changed_in_link_notation():
    from ui.config import describe_difference

    a = PlaygroundConfig(hidden_act=("sigmoid",), learning_rate=0.1)
    assert describe_difference(a, DEFAULT) == "act=sigmoid, lr=0.1"
    assert describe_difference(DEFAULT, DEFAULT) == "same settings"


def test_classroom_links_hide_controls_by_group_or_key():
    from ui.config import SECTIONS, ViewOptions, view_from_query

    view, notes = view_from_query({"hide": "data,lr,bogus", "seed_hide": "true", "present": "1"})
    assert set(SECTIONS["data"]) <= view.hidden and {"lr", "seed"} <= view.hidden
    assert not view.shows("lr") and view.shows("batch") and view.present
    assert notes == ["Ignored hide='bogus' from the link: not a control name."]
    assert view_from_query(view.to_query())[0] == view
    assert view_from_query({}) == (ViewOptions(), [])
    _, notes = view_from_query({"lr_hide": "maybe", "present": "x"})
    assert len(notes) == 2


def test_every_page_offers_learning_rates_of_one_scale():
    assert learning_rates(0.01, 1.0) == (0.01, 0.03, 0.1, 0.3, 1.0)
    for offered in (xor.LEARNING_RATES, neuron.LEARNING_RATES, backprop.LEARNING_RATES):
        assert offered and set(offered) <= set(LEARNING_RATES)
    assert DEFAULT.learning_rate in LEARNING_RATES


def test_a_link_naming_a_lesson_gives_only_what_differs_and_comes_back_whole():
    from ui.lessons import LESSONS

    lesson = LESSONS["vanishing"].config
    assert from_query({}, lesson) == (lesson, [])
    seven = replace(lesson, seed=7)
    assert from_query({"seed": "7"}, lesson)[0] == seven
    # a value set back to the default while the lesson is open stays in the link
    back = replace(lesson, init=DEFAULT.init)
    assert back.init != lesson.init and "init" in to_query(back, lesson)
    for config in (lesson, seven, back, DEFAULT):
        assert from_query(to_query(config, lesson), lesson)[0] == config
    assert to_query(lesson, lesson) == to_query(lesson)  # the address bar stays explicit
