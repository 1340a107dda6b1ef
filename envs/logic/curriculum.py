"""Moved to `gymhub.curriculum` (it works on any env with a difficulty range); kept as an alias."""

from gymhub.curriculum import STATE_VERSION, Curriculum, CurriculumWrapper, FamilySampler

__all__ = ["STATE_VERSION", "Curriculum", "CurriculumWrapper", "FamilySampler"]
