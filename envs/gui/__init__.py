"""GUI environments: grounding instructions on screenshots of synthetic screens."""

from gymhub.registry import register

register(
    "gymhub/GUIGround-v0",
    "gymhub.envs.gui.env:GroundingEnv",
    family="gui",
    description="GUI grounding: click the named element on a screenshot of a synthetic screen "
    "(point-in-box, or IoU with a box-size constraint).",
    modalities=("text", "image"),
    verifier="grounding",
    difficulty_range=(1, 5),
    task_source="generator:gui_screens",
    tags=("browser", "vision"),
)
