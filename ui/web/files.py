"""Your own data and models: upload points or a network, download data, network and history.

Every upload is parsed by the engine's validating readers; a bad file gets the reader's message
(what is wrong, and where) and changes nothing. Downloads are built when clicked and saved by
the browser (``ui/web/downloads.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pandas as pd
import streamlit as st

from playground.csv_io import MAX_BYTES, dataset_from_csv, dataset_to_csv
from playground.datasets import MAX_CLASSES, MAX_POINTS
from playground.features import FEATURES
from playground.serialize import MAX_JSON_BYTES, load_json, network_from_dict, network_to_json
from ui.config import (
    CUSTOM,
    MAX_HIDDEN_LAYERS,
    MAX_NEURONS_PER_LAYER,
    REG_RATE_MAX,
    PlaygroundConfig,
    checked,
    from_query,
    to_query,
)
from ui.experiment import Experiment
from ui.user_text import clip, literal
from ui.web import downloads
from ui.web.downloads import Download

S = st.session_state


def section(exp: Experiment) -> None:
    with st.expander("Your own data and models"):
        st.file_uploader(
            "Upload points (CSV: x1, x2, label)",
            type=["csv", "txt"],
            key="up_csv",
            on_change=_on_csv,
            help=f"Columns x₁, x₂ and a label (0/1, −1/+1, whole numbers 0 … K−1 or up to "
            f"{MAX_CLASSES} names: one output neuron per class) or a numeric target; comma, "
            f"semicolon or tab; optional header and train/test column. At most "
            f"{MAX_POINTS:,} rows and {MAX_BYTES // 1000:,} kB.",
        )
        st.file_uploader(
            "Upload a network (JSON saved here)",
            type=["json"],
            key="up_net",
            on_change=_on_network,
            help=f"A file from 'Download the network'. At most {MAX_JSON_BYTES // 1000:,} kB.",
        )
        if (message := S.pop("file_message", None)) is not None:
            kind, text = message
            (st.error if kind == "error" else st.success)(literal(text))  # quotes the file
        downloads.buttons(
            [
                Download(
                    "data",
                    "Download the data (CSV)",
                    f"playground-{exp.config.dataset}.csv",
                    "text/csv",
                    lambda: dataset_to_csv(exp.dataset),
                ),
                Download(
                    "network",
                    "Download the network (JSON)",
                    "playground-network.json",
                    "application/json",
                    lambda: network_to_json(exp.net, extra={"config": to_query(exp.config)}),
                ),
                Download(
                    "history",
                    "Download the training history (CSV)",
                    "playground-history.csv",
                    "text/csv",
                    lambda: pd.DataFrame(exp.trainer.history.as_dict()).to_csv(index=False),
                ),
            ]
        )


def _apply_upload(key: str, apply: Callable[[bytes, Experiment], str], refused: str) -> None:
    """The uploaded file of widget ``key`` handed to ``apply``, which changes the experiment and
    returns what to tell the student. A ValueError changes nothing and is shown after
    ``refused``; after a success the sidebar shows the new settings and Play stops."""
    upload = S.get(key)
    if upload is None:
        return
    exp: Experiment = S.exp
    try:
        done = apply(upload.getvalue(), exp)
    except ValueError as e:
        S.file_message = ("error", refused.format(error=clip(e, 300)))
        return
    S.pending_config = exp.config  # the sidebar shows it on the next run
    S.playing = False
    S.file_message = ("success", done)


def _on_csv() -> None:
    def apply(data: bytes, exp: Experiment) -> str:
        ds = dataset_from_csv(
            data, train_fraction=exp.config.train_pct / 100, seed=0, max_classes=MAX_CLASSES
        )
        config, _ = checked(replace(exp.config, dataset=CUSTOM))
        exp.use_data(ds, config)
        kind = f"{ds.n_classes} classes" if ds.kind == "classification" else ds.kind
        return f"Training on your {ds.n} points ({kind})."

    _apply_upload("up_csv", apply, "That file was not used: {error}. The data you had is kept.")


def _on_network() -> None:
    def apply(data: bytes, exp: Experiment) -> str:
        doc = load_json(data)
        net = network_from_dict(doc)
        exp.use_network(net, _config_for(net, exp.config, doc))
        return f"Loaded {net!r}; Reset now rewinds to its weights."

    _apply_upload("up_net", apply, "That network was not loaded: {error}. Nothing changed.")


def _config_for(net, current: PlaygroundConfig, doc: dict) -> PlaygroundConfig:
    """The configuration saved with the network (``doc``, the file), or one built around its
    shape."""
    extra = doc.get("extra")
    saved = extra.get("config") if isinstance(extra, dict) else None
    if isinstance(saved, dict):
        config, _ = from_query({str(k): str(v) for k, v in saved.items()})
        if current.dataset == CUSTOM:
            config = replace(config, dataset=CUSTOM)
    else:
        config = current
    features = config.features
    if len(features) != net.sizes[0]:
        if net.sizes[0] > len(FEATURES):
            raise ValueError(f"the network has {net.sizes[0]} inputs; at most {len(FEATURES)}")
        features = tuple(list(FEATURES)[: net.sizes[0]])
    hidden, acts = net.sizes[1:-1], net.activations[:-1]
    if len(hidden) > MAX_HIDDEN_LAYERS or max(hidden, default=1) > MAX_NEURONS_PER_LAYER:
        raise ValueError(
            f"the app shows at most {MAX_HIDDEN_LAYERS} hidden layers of "
            f"{MAX_NEURONS_PER_LAYER} neurons; the file has {list(hidden)}"
        )
    config = replace(
        config,
        features=features,
        hidden=hidden,
        hidden_act=acts[:1] if len(set(acts)) == 1 else (acts or config.hidden_act),
        output_act=net.activations[-1],
        cost=net.cost.name,
        classes=net.sizes[-1] if net.sizes[-1] > 1 else 2,
        regularization=net.regularization.name,
        reg_rate=min(net.regularization.rate, REG_RATE_MAX),
    )
    return checked(config)[0]
