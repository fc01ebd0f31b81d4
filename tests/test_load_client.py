"""The light Streamlit client of the load test, fed synthetic ForwardMsgs (no server)."""

from __future__ import annotations

import math

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks import load_test, soak
from benchmarks.streamlit_client import CACHE_RUNS, Session, percentile

FRAG = "frag-live"


def new_session(*fragments: str) -> bytes:
    m = ForwardMsg()
    m.new_session.page_script_hash = "main"
    m.metadata.run.script_run_id = "run"
    m.metadata.run.fragment_ids.extend(fragments)
    return m.SerializeToString()


def finished(status: int) -> bytes:
    m = ForwardMsg()
    m.script_finished = status
    return m.SerializeToString()


def button(label: str, wid: str, *, disabled: bool = False) -> bytes:
    m = ForwardMsg()
    m.delta.new_element.button.label = label
    m.delta.new_element.button.id = wid
    m.delta.new_element.button.disabled = disabled
    return m.SerializeToString()


def metric(label: str, body: str) -> bytes:
    m = ForwardMsg()
    m.delta.new_element.metric.label = label
    m.delta.new_element.metric.body = body
    m.delta.fragment_id = FRAG
    return m.SerializeToString()


def auto_rerun(interval: float = 0.05) -> bytes:
    m = ForwardMsg()
    m.auto_rerun.interval = interval
    m.auto_rerun.fragment_id = FRAG
    return m.SerializeToString()


def cacheable(hash_: str) -> bytes:
    m = ForwardMsg()
    m.hash = hash_
    m.metadata.cacheable = True
    m.delta.new_element.markdown.body = "x"
    return m.SerializeToString()


def navigation(page: str) -> bytes:
    m = ForwardMsg()
    m.navigation.page_script_hash = page
    return m.SerializeToString()


@pytest.fixture
def s() -> Session:
    return Session("http://127.0.0.1:1/", "?dataset=xor", name="t")


def test_buttons_metrics_and_page_hash_are_read_from_deltas(s):
    for raw in (navigation("page-hash"), button("Step", "$$ID-1-step"), metric("Step", "1,234")):
        s._handle(raw, 0.0)
    assert s.buttons == {"Step": "$$ID-1-step"}
    assert s.step_count() == 1234
    assert s.page_hash == "page-hash"
    assert s.stats.msgs_in == 3 and s.stats.bytes_in > 0


def test_a_click_sends_the_trigger_query_and_page(s):
    s._handle(navigation("page-hash"), 0.0)
    msg = BackMsg()
    msg.ParseFromString(s._rerun_msg(trigger="$$ID-1-step"))
    cs = msg.rerun_script
    assert cs.query_string == "dataset=xor" and cs.page_script_hash == "page-hash"
    assert [(w.id, w.trigger_value) for w in cs.widget_states.widgets] == [("$$ID-1-step", True)]
    assert not cs.fragment_id and not cs.is_auto_rerun


def test_a_tick_is_an_auto_rerun_of_the_fragment(s):
    msg = BackMsg()
    msg.ParseFromString(s._rerun_msg(fragment=FRAG))
    assert msg.rerun_script.fragment_id == FRAG and msg.rerun_script.is_auto_rerun
    assert len(msg.rerun_script.widget_states.widgets) == 0


def test_frames_dropped_runs_and_latency_from_the_oldest_waiting_tick(s):
    s._ticks.extend([1.00, 1.05])
    s._handle(new_session(FRAG), 1.06)  # takes both ticks
    s._handle(finished(ForwardMsg.FINISHED_EARLY_FOR_RERUN), 1.10)  # output dropped
    s._ticks.append(1.10)
    s._handle(new_session(FRAG), 1.11)
    s._handle(finished(ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY), 1.20)
    s._ticks.append(1.25)
    s._handle(new_session(FRAG), 1.26)
    s._handle(finished(ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY), 1.30)
    st = s.stats
    assert (st.frames, st.dropped) == (2, 1)
    assert st.latencies == pytest.approx([0.20, 0.05])  # the first tick waited for 2 runs
    assert st.frame_gaps() == pytest.approx([0.10])


def test_a_full_run_clears_the_timer_until_it_is_sent_again(s):
    s._handle(auto_rerun(0.5), 0.0)
    assert s.auto_rerun == {FRAG: 0.5}
    s._handle(new_session(), 0.1)  # full rerun: the frontend drops its timers
    assert s.auto_rerun == {}
    s._handle(auto_rerun(0.5), 0.1)
    s._handle(finished(ForwardMsg.FINISHED_SUCCESSFULLY), 0.2)
    assert s.auto_rerun == {FRAG: 0.5} and s.stats.full_runs == 1
    stop = ForwardMsg()
    stop.stop_auto_rerun.fragment_ids.append(FRAG)
    s._handle(stop.SerializeToString(), 0.3)
    assert s.auto_rerun == {}


def test_cached_hashes_are_reported_and_forgotten_after_a_few_runs(s):
    s._handle(cacheable("h1"), 0.0)
    msg = BackMsg()
    msg.ParseFromString(s._rerun_msg())
    assert list(msg.rerun_script.cached_message_hashes) == ["h1"]
    for _ in range(CACHE_RUNS + 1):
        s._handle(new_session(FRAG), 0.0)
    assert "h1" not in s._cache


def test_percentile_interpolates_and_is_nan_when_empty():
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([0.0, 10.0], 95) == pytest.approx(9.5)
    assert math.isnan(percentile([], 50))


def test_soak_slope_is_the_least_squares_growth():
    assert soak.slope([0, 1000, 2000, 3000], [100, 101, 102, 103]) == pytest.approx(0.001)
    assert math.isnan(soak.slope([1, 2], [1, 2]))


def row(n: int, step_p95: float, frame_p95: float) -> dict:
    return {
        "n": n,
        "step_latency_p95_ms": step_p95,
        "frame_latency_p95_ms": frame_p95,
        "server_ms_per_frame": 10.0,
        "errors": [],
    }


def test_the_conclusion_names_the_largest_level_within_the_target():
    rows = [row(1, 40, 60), row(10, 200, 300), row(20, 450, 700), row(30, 900, 1500)]
    carried, text = load_test.conclusion(rows)
    assert carried == 10
    assert "carried 10 students" in text and "20 did not" in text and "MISSED" in text
    carried, text = load_test.conclusion([row(30, 100, 200)])
    assert carried == 30 and "MET" in text


def test_quick_mode_and_bounds_of_the_arguments():
    args = load_test.parse_args(["--quick"])
    assert args.levels == [1, 10, 30] and args.duration == 8.0
    with pytest.raises(SystemExit):
        load_test.parse_args(["--levels", "500"])
    with pytest.raises(SystemExit):
        soak.parse_args(["--duration", "100000"])


def feed(*steps: int) -> bytes:
    """A live feed element with one frame per step count (the Playground's numbers)."""
    import json

    m = ForwardMsg()
    el = m.delta.new_element.bidi_component
    el.component_name = "app.live_feed"
    frames = [
        {
            "charts": [],
            "html": f'<div data-testid="pg-metric" data-label="Step">'
            f'<div class="pg-label">Step</div><div class="pg-value">{n:,}</div></div>',
        }
        for n in steps
    ]
    el.bytes = json.dumps({"key": "live", "seq": 1, "frames": frames}).encode()
    m.delta.fragment_id = FRAG
    return m.SerializeToString()


def test_a_live_feed_counts_its_frames_and_carries_the_numbers(s):
    s._handle(feed(3, 4), 0.0)
    s._handle(feed(1_005), 0.0)
    assert s.stats.shown == 3
    assert s.step_count() == 1005


def test_worker_options_of_the_load_test():
    args = load_test.parse_args(["--compare-workers", "1,2", "--levels", "30"])
    assert args.worker_counts == [1, 2] and args.levels == [30]
    assert load_test.parse_args(["--workers", "3"]).worker_counts == [3]
    assert load_test.parse_args([]).worker_counts == []  # one plain `streamlit run`
    cc = load_test.parse_args(["--community-cloud"])
    assert cc.cpu_set == {0} and cc.worker_counts == []
    for bad in (
        ["--workers", "2", "--url", "http://127.0.0.1:1"],  # one target at a time
        ["--compare-workers", "1,40"],
        ["--pids", "1"],  # only with --url
        ["--url", "http://127.0.0.1:1", "--cpus", "0"],  # cannot limit what runs elsewhere
        ["--cpu-quota", "0"],
        ["--community-cloud", "--workers", "2"],
    ):
        with pytest.raises(SystemExit):
            load_test.parse_args(bad)


def measured(n: int, workers: int, fps: float, p95: float, cores: float) -> dict:
    return {
        "n": n,
        "workers": workers,
        "frames_per_s": fps * n,
        "fps_per_client_median": fps,
        "frame_latency_p95_ms": p95,
        "step_latency_p95_ms": p95,
        "server_cores": cores,
        "proxy_cores": 0.02,
        "client_cores": 0.1,
        "other_cores": 0.0,
    }


def test_the_worker_comparison_shows_each_count_and_its_ratio_to_the_first():
    runs = [
        {"workers": 1, "rows": [measured(30, 1, 5.0, 600.0, 1.1)]},
        {"workers": 2, "rows": [measured(30, 2, 9.0, 300.0, 2.0)]},
    ]
    lines = load_test.comparison(runs).splitlines()
    ratio = next(line for line in lines if "2/1" in line).split()
    assert ratio[:4] == ["30", "2/1", "x1.80", "x1.80"]  # frames/s, fps per session
    assert ratio[4:6] == ["x0.50", "x0.50"]  # frame and Step p95 halved
    assert ratio[6] == "x1.82"  # server cores


def test_the_conclusion_counts_the_processes_of_several_workers():
    rows = [dict(row(10, 100, 200), workers=2, server_cores=1.9, dropped_share=0.0)]
    _, text = load_test.conclusion(rows)
    assert "its 2 processes used at most 1.90 cores" in text


def test_the_conclusion_of_a_limited_server_uses_its_limit():
    rows = [
        dict(
            row(10, 100, 200),
            server_cores=0.5,
            dropped_share=0.0,
            limit={"cpus": [0], "cpu_quota_cores": 0.5},
        )
    ]
    _, text = load_test.conclusion(rows)
    assert "one server limited to 0.5 core(s) carried 10 students" in text
    assert "at most 0.50 cores" in text and "serves about 50 frames/s" in text  # 10 ms/frame
