"""One-click lessons: a Playground configuration, what to look for, and what to try next.

Each lesson is a starting point a teacher can open in class (or hand out as a link). Its text is
a promise to a room of students who each type their own weight seed or press "New data", so
every sentence holds for any seed, or says how often it holds, with the figures measured by
``benchmarks/lesson_stats.py`` over hundreds of seeds. ``tests/test_ui_lessons.py`` checks each
promise over 20 or more weight seeds and several data seeds.

Each lesson shows its effect within about 20 seconds of Play at its own Speed (Speed steps per
displayed frame; benchmarks/README.md has the frame rate).
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
    steps: int  # the step count the text speaks of ("by step 2,000")


LESSONS: dict[str, Lesson] = {
    lesson.key: lesson
    for lesson in (
        Lesson(
            key="symmetry",
            title="Symmetry breaking: why the weights start random",
            config=PlaygroundConfig(
                dataset="xor",
                hidden=(4,),
                hidden_act=("tanh",),
                init="equal",
                learning_rate=1.0,
                speed=5,
            ),
            look_for=(
                "Every $w$ and $b$ starts at the same value, 0.5. Press Play and watch the four "
                "hidden neurons: their pictures change, but at every step all four show the "
                "same picture. They start equal, so they get the same $z$, by (17) the same "
                "$\\delta$, and by (18), (19) the same update: they stay equal for ever, and "
                "four equal neurons draw no more than one line. XOR needs two, so the accuracy "
                "stays at 75 % or below, whatever the seed and the data."
            ),
            then_try=(
                "Set Initial weights to 'small random values' and Play: the neurons differ "
                "from the start and XOR is learned (above 90 % within 1,000 steps in nearly "
                "every run). With 'all zeros' nothing but the output bias ever moves: "
                "tanh(0) = 0, so by (18) and (17) no other weight gets a gradient."
            ),
            steps=300,
        ),
        Lesson(
            key="vanishing",
            title="Vanishing gradients in a deep sigmoid network",
            config=PlaygroundConfig(
                dataset="gauss",
                hidden=(6,) * 8,
                hidden_act=("sigmoid",),
                output_act="sigmoid",
                init="normal",
                learning_rate=1.0,
                delta_view="relative",
            ),
            look_for=(
                "Eight hidden sigmoid layers, weights and biases from $N(0, 1)$. The chart "
                "'How much of the error reaches each layer' shows how large each layer's error "
                "$\\delta^l$ is, relative to the output layer's. By (17) each step back "
                "multiplies $\\delta$ by $(w^{l+1})^T$ and by $\\sigma'(z^l)$, and a sigmoid's "
                "$\\sigma'$ is at most 1/4: the lines lie in order, each below the next (at 99 % "
                "of the steps or more), and the first hidden layer gets less than 1/100 of the "
                "output's error at every one of the first 100 steps, in every one of 500 runs we "
                "measured (typically about 1/3,000). Its weights hardly move: after 100 steps "
                "most runs still get about half the points of two easy clouds wrong."
            ),
            then_try=(
                "Change the hidden activation to tanh (σ' up to 1): layer 2 now typically gets "
                "a third of the output's error instead of a few thousandths, and in most runs "
                "the clouds are learned within 100 steps."
            ),
            steps=100,
        ),
        Lesson(
            key="sign",
            title="The sign activation cannot be trained by gradient descent",
            config=PlaygroundConfig(
                dataset="circle", hidden=(4,), hidden_act=("sign",), learning_rate=1.0, speed=2
            ),
            look_for=(
                "Press Play: the four hidden neurons never change. sign'(z) = 0 wherever it is "
                "defined, so (17) makes $\\delta^2$ zero and (18), (19) give zero gradients "
                "for $w^2$ and $b^2$. Only the output layer learns, and it can only re-weigh "
                "four frozen random lines: the accuracy stays far from 100 % (about 60 % in a "
                "typical run, never above 80 % in the 500 runs we measured)."
            ),
            then_try=(
                "Switch the hidden activation to tanh: the same network now moves its lines "
                "around the disc, above 90 % within 300 steps in every run we tried."
            ),
            steps=300,
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
                "more than the last one, the cost grows, and within 10 steps the numbers "
                "overflow. The app stops and keeps the last finite weights."
            ),
            then_try=(
                "Set α to 0.03, press Reset, and Play: the cost now falls, to less than a third "
                "within 300 steps in every run we measured."
            ),
            steps=10,
        ),
        Lesson(
            key="small_alpha",
            title="A learning rate that is too small",
            config=PlaygroundConfig(dataset="circle", learning_rate=0.001, speed=5),
            look_for=(
                "Press Play: the cost curve is almost flat, less than 10 % lower after 1,000 "
                "steps (typically 2 %). Each update moves the weights by α times the gradient, "
                "and with α = 0.001 that is a crawl."
            ),
            then_try=(
                "Raise α to 0.3 without Reset: within 300 more steps the cost falls to a tenth "
                "or less in most runs (typically 1/80)."
            ),
            steps=1000,
        ),
        Lesson(
            key="minima",
            title="Different seeds, different ends: C is not convex",
            config=PlaygroundConfig(
                dataset="xor_lecture",
                hidden=(2,),
                init="normal",
                learning_rate=1.0,
                speed=10,
            ),
            look_for=(
                "The lecture's four XOR points and a 2-2-1 tanh network. Whether gradient "
                "descent solves them depends on where it starts: about one run in three gets "
                "stuck with one or two points wrong, the cost flat at about 0.25 or 0.5. "
                "There the gradient is almost 0, yet C is far from its minimum 0 (strictly, "
                "the cost keeps falling ever more slowly while the weights grow: a flat valley "
                "rather than a pit, but no number of steps gets out of it). Weight seed 0 "
                "learns XOR within 100 steps; about one seed in three does not."
            ),
            then_try=(
                "Press 'Keep this run to compare', set the weight seed to 5 and Play to step "
                "1,000: that run stays stuck (of seeds 0–9, 5 and 8 get stuck). Compare runs at "
                "step 1,000 or later, not before: a run that ends at C ≈ 0 may cross a plateau "
                "first (2 of 100 seeds were still on one at step 1,000)."
            ),
            steps=1000,
        ),
        Lesson(
            key="dead_relu",
            title="Dead ReLU units",
            config=PlaygroundConfig(
                dataset="circle",
                hidden=(12,),
                hidden_act=("relu",),
                learning_rate=10.0,
                speed=2,
            ),
            look_for=(
                "A huge α = 10. In most runs (about 5 in 6) one or more of the 12 ReLU neurons "
                "die within 100 steps: their $z$ is negative at every training point, so ReLU "
                "outputs 0 and ReLU'(z) = 0; by (17) their $\\delta$ is 0 and by (18), (19) "
                "their weights get no update. Their inputs are the fixed points $x$, so they "
                "stay dead for good (drawn grey and hatched). The live ones still learn the "
                "circle in most runs."
            ),
            then_try=(
                "Lower α to 0.3 and Reset: no neuron dies (none in 500 runs we measured). In a "
                "second hidden layer a dead neuron can come back, because the layer before it "
                "keeps changing what it receives."
            ),
            steps=100,
        ),
        Lesson(
            key="spiral_depth",
            title="A spiral: depth helps",
            config=PlaygroundConfig(dataset="spiral", hidden=(8,), learning_rate=0.3, speed=20),
            look_for=(
                "One hidden layer of 8 tanh neurons bends the boundary only a little: by step "
                "2,000 (about 10 s at Speed 20) it still gets points of both arms wrong: below "
                "97 % in every one of 500 runs we measured, typically 86 %."
            ),
            then_try=(
                "Use four hidden layers of 8 and Play to step 2,000 again: in about 9 runs in "
                "10 the deeper network is ahead (typically 97 %), because each layer bends "
                "what the one before drew."
            ),
            steps=2000,
        ),
        Lesson(
            key="features",
            title="The right features make a hidden layer unnecessary",
            config=PlaygroundConfig(
                dataset="circle",
                features=("x1_sq", "x2_sq"),
                hidden=(),
                init="small",
                learning_rate=0.3,
            ),
            look_for=(
                "No hidden layer at all, but the inputs are x₁² and x₂². A single neuron "
                "computes $\\sigma(w_1x_1^2 + w_2x_2^2 + b)$, whose boundary is a circle: "
                "within 50 steps it gets 99 % of the points or more right in every run, nearly "
                "always all of them. The weights start "
                "small on purpose: x₁² reaches 25, and with larger weights $z$ is so large "
                "that tanh saturates and tanh'(z) ≈ 0."
            ),
            then_try=(
                "Replace the features by x₁ and x₂: a single neuron can only draw a line. Or "
                "keep x₁², x₂² and set Initial weights to 'uniform ±0.5': about 1 run in 6 "
                "starts saturated and never learns."
            ),
            steps=50,
        ),
        Lesson(
            key="regularization",
            title="L2 regularisation keeps the weights small",
            config=PlaygroundConfig(
                dataset="xor",
                noise=20,
                hidden=(8,),
                learning_rate=0.3,
                regularization="l2",
                reg_rate=0.01,
                delta_view="weights",
                speed=10,
            ),
            look_for=(
                "XOR with 20 % of the labels flipped, and L2 regularisation with "
                "$\\lambda = 0.01$: the cost is $C = C_0 + \\frac{\\lambda}{2}\\sum w^2$, so "
                "(24) becomes $w \\leftarrow w - \\alpha(\\partial C_0/\\partial w + "
                "\\lambda w)$ and every step shrinks every weight by $\\alpha\\lambda w$ "
                "(weight decay; the biases are left alone). The chart shows $\\lVert w^l\\rVert$ "
                "per layer. Play to step 1,000: the output layer's $\\lVert w^3\\rVert$ rises "
                "at first, then levels off, where the pull of the data and the decay balance: "
                "from step 500 to step 1,000 it changes by less than 10 % in every run we "
                "measured."
            ),
            then_try=(
                "Press 'Keep this run to compare', set Regularisation to none, Reset and Play "
                "to step 1,000: with nothing pulling them back the weights keep growing, to "
                "push the outputs ever closer to ±1 on the noisy points, and "
                "$\\lVert w^3\\rVert$ ends at least 1.5 times as large (typically about "
                "twice). Or choose L1 with the same $\\lambda$: (24) then moves every weight "
                "towards 0 by $\\alpha\\lambda$ a step, and typically half of the first "
                "layer's 16 weights end within 0.01 of 0 (at least 4 in every run we measured; "
                "without regularisation at most 2)."
            ),
            steps=1000,
        ),
    )
}


def lesson_query(lesson: Lesson) -> dict[str, str]:
    """The query string of a link that opens the Playground on this lesson."""
    return {**to_query(lesson.config), "lesson": lesson.key}
