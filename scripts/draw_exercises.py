"""Draw the exercise pictures: a line figure in the start and the end position of each exercise.

    .venv/bin/python scripts/draw_exercises.py      # writes src/backspasm/web/static/exercises/

Each pose is a handful of joint positions in a 160 x 100 panel (y down, floor at 90); the near
limbs are dark, the far limbs light. The alt text comes from exercises.yaml and is written into
the SVG's <title> as well. Rerun after changing a pose; the SVGs are committed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/backspasm/web/static/exercises"
KNOWLEDGE = ROOT / "src/backspasm/knowledge/exercises.yaml"

Point = tuple[float, float]
NEAR, FAR, PROP, NOTE = "#1f3a5f", "#93a8bf", "#7a6a55", "#b3261e"


@dataclass(frozen=True)
class Pose:
    head: Point
    shoulder: Point
    hip: Point
    knee: Point
    foot: Point
    elbow: Point
    hand: Point
    far_knee: Point | None = None
    far_foot: Point | None = None
    far_elbow: Point | None = None
    far_hand: Point | None = None
    spine: Point | None = None  # a control point that curves the back
    props: tuple[str, ...] = field(default=())  # extra SVG drawn behind the figure

    def moved(self, **changes: object) -> Pose:
        return replace(self, **changes)  # type: ignore[arg-type]


def chair(x: float, seat: float = 62, back: bool = True) -> str:
    legs = f"M{x} {seat}H{x + 30}M{x + 2} {seat}V90M{x + 28} {seat}V90"
    back_line = f"M{x} {seat}V{seat - 28}" if back else ""
    return f'<path d="{legs}{back_line}" stroke="{PROP}" stroke-width="3" fill="none"/>'


def arrow(x1: float, y1: float, x2: float, y2: float) -> str:
    return (
        f'<path d="M{x1} {y1}L{x2} {y2}" stroke="{NOTE}" stroke-width="2" fill="none" '
        f'marker-end="url(#tip)"/>'
    )


def label(x: float, y: float, text: str) -> str:
    return f'<text x="{x}" y="{y}" font-size="8" fill="{NOTE}">{text}</text>'


def pillow(x: float, y: float, rx: float = 9, ry: float = 4) -> str:
    return f'<ellipse cx="{x}" cy="{y}" rx="{rx}" ry="{ry}" fill="#e6dccb" stroke="{PROP}"/>'


def box(x: float, y: float, w: float = 20, h: float = 16) -> str:
    size = f'x="{x}" y="{y}" width="{w}" height="{h}"'
    return f'<rect {size} fill="#e6dccb" stroke="{PROP}" stroke-width="2"/>'


def stick(x1: float, y1: float, x2: float, y2: float) -> str:
    return f'<path d="M{x1} {y1}L{x2} {y2}" stroke="{PROP}" stroke-width="3"/>'


# --- base poses -------------------------------------------------------------------------------
STAND = Pose(
    head=(80, 15),
    shoulder=(80, 27),
    hip=(80, 55),
    knee=(80, 72),
    foot=(82, 90),
    elbow=(79, 41),
    hand=(81, 55),
    far_knee=(78, 72),
    far_foot=(76, 90),
)
WALK = STAND.moved(
    knee=(88, 72),
    foot=(96, 90),
    far_knee=(74, 72),
    far_foot=(64, 88),
    elbow=(73, 40),
    hand=(70, 52),
    far_elbow=(86, 40),
    far_hand=(93, 50),
)
BRISK = WALK.moved(
    knee=(90, 71),
    foot=(102, 90),
    far_knee=(72, 72),
    far_foot=(58, 86),
    elbow=(70, 38),
    hand=(74, 30),
    far_elbow=(90, 40),
    far_hand=(98, 48),
)
SUPINE_BENT = Pose(
    head=(20, 83),
    shoulder=(32, 86),
    hip=(72, 86),
    knee=(92, 64),
    foot=(110, 89),
    elbow=(48, 88),
    hand=(62, 88),
)
SUPINE_FLAT = SUPINE_BENT.moved(knee=(98, 87), foot=(124, 88))
ON_CHAIR = SUPINE_BENT.moved(knee=(80, 62), foot=(112, 60), props=(chair(96, 64),))
SIDE = SUPINE_FLAT.moved(
    head=(20, 80),
    shoulder=(33, 84),
    hip=(72, 84),
    elbow=(40, 72),
    hand=(30, 70),
    props=(pillow(18, 86),),
)
SIDE_BENT = SIDE.moved(knee=(92, 70), foot=(112, 84), props=(pillow(18, 86), pillow(92, 75, 7, 4)))
ALL_FOURS = Pose(
    head=(128, 50),
    shoulder=(116, 58),
    hip=(72, 58),
    knee=(72, 90),
    foot=(46, 90),
    elbow=(116, 74),
    hand=(116, 90),
)
HEELS = ALL_FOURS.moved(
    head=(116, 70),
    shoulder=(104, 76),
    hip=(58, 74),
    knee=(74, 90),
    foot=(46, 90),
    elbow=(118, 84),
    hand=(134, 90),
)
CAT = ALL_FOURS.moved(spine=(94, 40), head=(126, 66))
CAMEL = ALL_FOURS.moved(spine=(94, 68), head=(130, 46))
BIRD = ALL_FOURS.moved(
    elbow=(132, 56),
    hand=(148, 56),
    far_knee=(72, 90),
    far_foot=(46, 90),
    knee=(52, 58),
    foot=(30, 58),
    far_elbow=(116, 74),
    far_hand=(116, 90),
)
BIRD_START = ALL_FOURS.moved(
    far_knee=(72, 90), far_foot=(46, 90), far_elbow=(116, 74), far_hand=(116, 90)
)
KNEE_HUG = SUPINE_BENT.moved(
    knee=(58, 60),
    foot=(80, 62),
    elbow=(46, 72),
    hand=(58, 62),
    far_knee=(92, 64),
    far_foot=(110, 89),
)
KNEES_ROLLED = SUPINE_BENT.moved(
    knee=(96, 78), foot=(110, 89), far_knee=(94, 74), far_foot=(110, 87)
)
BRIDGE = SUPINE_BENT.moved(hip=(70, 68), knee=(94, 62), elbow=(48, 88), hand=(62, 88))
SIDE_PLANK_KNEES_START = Pose(
    head=(24, 70),
    shoulder=(36, 78),
    hip=(78, 87),
    knee=(104, 88),
    foot=(90, 80),
    elbow=(36, 90),
    hand=(58, 90),
)
SIDE_PLANK_KNEES = SIDE_PLANK_KNEES_START.moved(
    head=(24, 62), shoulder=(36, 72), hip=(76, 78), knee=(104, 89), foot=(92, 78)
)
SIDE_PLANK_START = Pose(
    head=(24, 70),
    shoulder=(36, 78),
    hip=(80, 87),
    knee=(108, 88),
    foot=(136, 89),
    elbow=(36, 90),
    hand=(58, 90),
)
SIDE_PLANK = SIDE_PLANK_START.moved(
    head=(24, 62), shoulder=(36, 72), hip=(82, 78), knee=(110, 84), foot=(136, 89)
)
SEATED = Pose(
    head=(70, 22),
    shoulder=(70, 33),
    hip=(70, 60),
    knee=(94, 61),
    foot=(94, 90),
    elbow=(62, 47),
    hand=(78, 50),
    props=(chair(56),),
)
SIT_LEAN = SEATED.moved(
    head=(92, 26), shoulder=(86, 34), hip=(72, 60), elbow=(90, 48), hand=(94, 60)
)
STAND_UP = STAND.moved(
    head=(104, 15),
    shoulder=(104, 27),
    hip=(104, 55),
    knee=(104, 72),
    foot=(102, 90),
    far_knee=(102, 72),
    far_foot=(100, 90),
    elbow=(103, 41),
    hand=(105, 55),
    props=(chair(56),),
)
HINGE_START = STAND.moved(props=(stick(74, 6, 74, 64),))
HINGE = STAND.moved(
    head=(118, 30),
    shoulder=(108, 36),
    hip=(76, 52),
    knee=(82, 71),
    far_knee=(80, 71),
    foot=(82, 90),
    far_foot=(78, 90),
    elbow=(110, 52),
    hand=(112, 64),
    props=(stick(124, 24, 66, 58),),
)
SQUAT_LIFT = Pose(
    head=(92, 34),
    shoulder=(86, 43),
    hip=(66, 70),
    knee=(90, 66),
    foot=(82, 90),
    elbow=(96, 58),
    hand=(100, 72),
    props=(box(94, 70),),
)
STAND_LIFT = STAND.moved(elbow=(86, 42), hand=(92, 52), props=(box(84, 44),))


PICTURES: dict[str, tuple[Pose, Pose, tuple[str, ...]]] = {
    "legs_on_chair": (SUPINE_FLAT.moved(props=(chair(96, 64),)), ON_CHAIR, ()),
    "side_lying_rest": (SIDE, SIDE_BENT, ()),
    "relaxed_breathing": (
        SEATED,
        SEATED.moved(elbow=(62, 48), hand=(76, 52)),
        (label(96, 30, "breathe out"), arrow(92, 34, 104, 40)),
    ),
    "pelvic_tilt": (
        SUPINE_BENT,
        SUPINE_BENT,
        (label(8, 68, "press back down"), arrow(56, 74, 56, 84)),
    ),
    "knee_rolls": (SUPINE_BENT, KNEES_ROLLED, (arrow(104, 62, 112, 72),)),
    "short_walks": (STAND, WALK, (arrow(104, 50, 124, 50),)),
    "knee_to_chest": (SUPINE_BENT, KNEE_HUG, ()),
    "bottom_to_heels": (ALL_FOURS, HEELS, (arrow(70, 50, 56, 60),)),
    "cat_camel": (CAT, CAMEL, ()),
    "deep_stomach_brace": (
        SUPINE_BENT,
        SUPINE_BENT,
        (label(8, 66, "draw belly in"), arrow(56, 70, 56, 82)),
    ),
    "bridge": (SUPINE_BENT, BRIDGE, (arrow(62, 82, 62, 68),)),
    "bird_dog": (BIRD_START, BIRD, ()),
    "side_plank_knees": (SIDE_PLANK_KNEES_START, SIDE_PLANK_KNEES, (arrow(70, 90, 70, 80),)),
    "sit_to_stand": (SIT_LEAN, STAND_UP, ()),
    "side_plank": (SIDE_PLANK_START, SIDE_PLANK, (arrow(72, 90, 72, 80),)),
    "hip_hinge": (HINGE_START, HINGE, ()),
    "lifting_practice": (SQUAT_LIFT, STAND_LIFT, ()),
    "brisk_walking": (STAND, BRISK, (arrow(110, 50, 130, 50),)),
}


def limb(points: list[Point], colour: str) -> str:
    path = "M" + "L".join(f"{x:g} {y:g}" for x, y in points)
    return (
        f'<path d="{path}" stroke="{colour}" stroke-width="4" stroke-linecap="round" '
        f'stroke-linejoin="round" fill="none"/>'
    )


def figure(pose: Pose) -> str:
    parts = list(pose.props)
    if pose.far_knee and pose.far_foot:
        parts.append(limb([pose.hip, pose.far_knee, pose.far_foot], FAR))
    if pose.far_elbow and pose.far_hand:
        parts.append(limb([pose.shoulder, pose.far_elbow, pose.far_hand], FAR))
    (sx, sy), (hx, hy) = pose.shoulder, pose.hip
    if pose.spine:
        cx, cy = pose.spine
        back = f"M{sx:g} {sy:g}Q{cx:g} {cy:g} {hx:g} {hy:g}"
    else:
        back = f"M{sx:g} {sy:g}L{hx:g} {hy:g}"
    parts.append(
        f'<path d="{back}" stroke="{NEAR}" stroke-width="5" stroke-linecap="round" fill="none"/>'
    )
    parts.append(limb([pose.shoulder, pose.head], NEAR))
    parts.append(limb([pose.hip, pose.knee, pose.foot], NEAR))
    parts.append(limb([pose.shoulder, pose.elbow, pose.hand], NEAR))
    x, y = pose.head
    parts.append(
        f'<circle cx="{x:g}" cy="{y:g}" r="7" fill="#fff" stroke="{NEAR}" stroke-width="3"/>'
    )
    return "".join(parts)


def panel(x: float, title: str, pose: Pose, notes: tuple[str, ...]) -> str:
    return (
        f'<g transform="translate({x} 14)">'
        f'<text x="4" y="-2" font-size="11" font-weight="700" fill="{NEAR}">{title}</text>'
        f'<path d="M0 90H160" stroke="#999" stroke-width="1.5"/>'
        f"{figure(pose)}{''.join(notes)}</g>"
    )


def svg(alt: str, start: Pose, end: Pose, notes: tuple[str, ...]) -> str:
    alt_text = alt.replace("&", "&amp;").replace("<", "&lt;")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 112" role="img" '
        f'aria-labelledby="t" font-family="sans-serif"><title id="t">{alt_text}</title>'
        f'<defs><marker id="tip" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="5" '
        f'markerHeight="5" orient="auto"><path d="M0 0L10 5L0 10z" fill="{NOTE}"/></marker></defs>'
        '<rect width="360" height="112" fill="#fff"/>'
        f"{panel(8, 'Start', start, ())}"
        f'<path d="M170 60H186" stroke="{NEAR}" stroke-width="2" marker-end="url(#tip)"/>'
        f"{panel(192, 'End', end, notes)}</svg>\n"
    )


def main() -> None:
    exercises = yaml.safe_load(KNOWLEDGE.read_text())["exercises"]
    OUT.mkdir(parents=True, exist_ok=True)
    for exercise in exercises:
        start, end, notes = PICTURES[exercise["id"]]
        (OUT / f"{exercise['id']}.svg").write_text(
            svg(exercise["picture"]["alt"], start, end, notes)
        )
    print(f"{len(exercises)} pictures in {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
