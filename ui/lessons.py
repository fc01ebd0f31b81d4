"""One-click lessons: a Playground configuration, what to look for, and what to try next.

Each lesson is a starting point a teacher can open in class (or hand out as a link): the data,
the network and the seed are fixed, so every student sees the same first weights and the same
run. ``tests/test_lessons.py`` runs each lesson and checks that what the text promises happens.
"""

from __future__ import annotations

from dataclasses import dataclass

from ui.config import PlaygroundConfig, to_query


@dataclass(frozen=True)
class Lesson:
    key: str  # also the value of ?lesson= in a link
    title: str
    config: PlaygroundConfig
    look_for: str
    then_try: str
    steps: int  # about how many steps the effect needs (Play or Speed)


LESSONS: dict[str, Lesson] = {
    lesson.key: lesson
    for lesson in (
        Lesson(
            key="symmetry",
            title="Symmetry breaking: why the weights start random",
            config=PlaygroundConfig(
                dataset="xor",
                hidden=(4,),
                hidden_act=("sigmoid",),
                init="zeros",
                learning_rate=1.0,
            ),
            look_for=(
                "Every w and b starts at 0. Press Play and watch the network: the four hidden "
                "neurons change, but they always show the same picture. They start equal, so "
                "(17)–(19) hand each of them the same $\\delta$ and the same update, and they stay "
                "equal: the network has in effect one hidden neuron, and XOR needs more."
            ),
            then_try="Set Initial weights to 'small random values' and press Play again.",
            steps=300,
        ),
        Lesson(
            key="vanishing",
            title="Vanishing gradients in a deep sigmoid network",
            config=PlaygroundConfig(
                dataset="gauss",
                hidden=(6, 6, 6, 6, 6),
                hidden_act=("sigmoid",),
                output_act="sigmoid",
                init="normal",
                learning_rate=1.0,
            ),
            look_for=(
                "In the chart of $\\lVert\\partial C/\\partial b^l\\rVert$ the line of each layer "
                "lies below the one after "
                "it: the early layers learn hundreds of times more slowly. By (17) each step "
                "back multiplies $\\delta$ by $(w^{l+1})^T$ and by $\\sigma'(z^l)$, and a "
                "sigmoid's $\\sigma'$ is at "
                "most 0.25, so $\\delta$ shrinks layer after layer."
            ),
            then_try="Change the hidden activation to ReLU or tanh and compare the lines.",
            steps=100,
        ),
        Lesson(
            key="sign",
            title="The sign activation cannot be trained by gradient descent",
            config=PlaygroundConfig(dataset="gauss", hidden=(3,), hidden_act=("sign",)),
            look_for=(
                "Press Play: the hidden neurons never change. sign'(z) = 0 wherever it is "
                "defined, so (17) makes $\\delta^2$ zero and (18), (19) give zero gradients for "
                "$w^2$ "
                "and $b^2$. Only the output layer moves, and it can only re-weigh what the "
                "frozen sign neurons already say."
            ),
            then_try="Switch the hidden activation to tanh: the same network now learns.",
            steps=100,
        ),
        Lesson(
            key="large_alpha",
            title="A learning rate that is too large",
            config=PlaygroundConfig(
                dataset="plane",
                hidden=(4,),
                hidden_act=("relu",),
                output_act="linear",
                learning_rate=3.0,
            ),
            look_for=(
                "Press Step a few times. Each update (24), (25) jumps past the minimum of C by "
                "more than the last one, the cost grows, and after a few steps the numbers "
                "overflow. The app stops and keeps the last finite weights."
            ),
            then_try="Set α to 0.03, press Reset, and Play.",
            steps=10,
        ),
        Lesson(
            key="small_alpha",
            title="A learning rate that is too small",
            config=PlaygroundConfig(dataset="circle", learning_rate=0.001),
            look_for=(
                "Press Play: the cost curve is almost flat. Each update moves the weights by "
                "α times the gradient, and with α = 0.001 that is a crawl."
            ),
            then_try="Raise α step by step (0.01, 0.1, 1) without Reset: training speeds up.",
            steps=300,
        ),
        Lesson(
            key="minima",
            title="Different seeds, different minima: C is not convex",
            config=PlaygroundConfig(
                dataset="xor_lecture",
                hidden=(2,),
                hidden_act=("sigmoid",),
                output_act="sigmoid",
                init="normal",
                learning_rate=2.0,
                seed=0,
            ),
            look_for=(
                "The lecture's four XOR points and a 2-2-1 sigmoid network. With weight seed 0 "
                "the cost stops falling while half the points are still wrong: gradient "
                "descent has settled in a local minimum."
            ),
            then_try="Change the weight seed to 1 and Play again: now the cost goes to zero.",
            steps=3000,
        ),
        Lesson(
            key="dead_relu",
            title="Dead ReLU units",
            config=PlaygroundConfig(
                dataset="circle",
                hidden=(8, 8),
                hidden_act=("relu",),
                init="normal",
                learning_rate=3.0,
            ),
            look_for=(
                "Play for a hundred steps. Some hidden neurons turn one flat colour: their z is "
                "negative for every point, so ReLU outputs 0 and ReLU'(z) = 0; by (17) their "
                "$\\delta$ "
                "is 0 and by (18), (19) they never learn again. Hover them: mean a = 0."
            ),
            then_try="Lower α to 0.3 and Reset: fewer units die, and the circle is learned.",
            steps=100,
        ),
        Lesson(
            key="spiral_depth",
            title="A spiral needs depth",
            config=PlaygroundConfig(dataset="spiral", hidden=(8,), learning_rate=0.3),
            look_for=(
                "One hidden layer of 8 tanh neurons bends the boundary only a little: after "
                "2000 steps the arms are still mixed up."
            ),
            then_try="Use four hidden layers of 8 (or add the sin x₁, sin x₂ features).",
            steps=2000,
        ),
        Lesson(
            key="features",
            title="The right features make a hidden layer unnecessary",
            config=PlaygroundConfig(
                dataset="circle", features=("x1_sq", "x2_sq"), hidden=(), learning_rate=0.3
            ),
            look_for=(
                "No hidden layer at all, but the inputs are x₁² and x₂². A single neuron "
                "computes $\\sigma(w_1x_1^2 + w_2x_2^2 + b)$, whose boundary is a circle: it "
                "learns at once."
            ),
            then_try="Replace the features by x₁ and x₂: a single neuron can only draw a line.",
            steps=200,
        ),
    )
}


def lesson_query(lesson: Lesson) -> dict[str, str]:
    """The query string of a link that opens the Playground on this lesson."""
    return {**to_query(lesson.config), "lesson": lesson.key}
