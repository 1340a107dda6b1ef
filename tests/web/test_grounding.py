"""Grounding verifiers: parsing, point-in-box, IoU and the box-size constraint (pure Python)."""

from __future__ import annotations

import pytest

from gymhub.verifiers import BoxIoU, ConstrainedBoxIoU, GroundingVerifier, PointInBox
from gymhub.verifiers.grounding import iou, parse_box, parse_point, size_term

GOLD = [100, 100, 200, 150]


def test_exported_lazily_from_the_package() -> None:
    import gymhub.verifiers as v

    assert v.PointInBox is PointInBox and "ConstrainedBoxIoU" in dir(v)


@pytest.mark.parametrize(
    ("text", "point"),
    [
        ("click(150, 120)", (150, 120)),
        ("I think it is here: click( 150.5 , 120 )", (150.5, 120)),
        ("click(x=3, y=4)", (3, 4)),
        ("(7, 8)", (7, 8)),
        ("click(1, 1) no wait click(9, 9)", (9, 9)),
        ("nothing", None),
        ("click(1e999, 5)", None),
    ],
)
def test_parse_point(text: str, point: tuple[float, float] | None) -> None:
    assert parse_point(text) == point


def test_parse_box_orders_corners() -> None:
    assert parse_box("[200, 150, 100, 100]") == (100, 100, 200, 150)
    assert parse_box("box: [1,2,3]") is None


def test_iou_and_size_term() -> None:
    assert iou((0, 0, 10, 10), (0, 0, 10, 10)) == 1
    assert iou((0, 0, 10, 10), (5, 0, 15, 10)) == pytest.approx(50 / 150)
    assert iou((0, 0, 1, 1), (2, 2, 3, 3)) == 0
    assert size_term((0, 0, 10, 10), (0, 0, 10, 10), 2) == 1
    assert size_term((0, 0, 1, 1), (0, 0, 10, 10), 2) == pytest.approx(0.02)
    assert size_term((0, 0, 100, 100), (0, 0, 10, 10), 2) == pytest.approx(0.02)


def test_point_in_box() -> None:
    v = PointInBox()
    assert v.verify("click(150, 120)", GOLD).reward == 1
    assert v.verify("click(100, 100)", GOLD).status == "correct"  # edges count
    assert v.verify("click(99, 120)", GOLD).reward == 0
    assert v.verify("[140, 110, 160, 130]", GOLD).reward == 1  # a box's centre
    assert v.verify("I don't know", GOLD).status == "unparseable"
    assert v.verify("click(5, 5)", [[0, 0, 10, 10], GOLD]).reward == 1  # any of several boxes
    assert v.verify(v.reference_response(GOLD) or "", GOLD).reward == 1


def test_box_iou_plain_and_thresholded() -> None:
    assert BoxIoU().verify("[100, 100, 200, 150]", GOLD).reward == pytest.approx(1)
    half = BoxIoU().verify("[150, 100, 250, 150]", GOLD)
    assert half.reward == pytest.approx(1 / 3) and half.status == "partial"
    assert BoxIoU(threshold=0.5).verify("[150, 100, 250, 150]", GOLD).reward == 0
    assert BoxIoU(threshold=0.3).verify("[150, 100, 250, 150]", GOLD).reward == 1


def test_constrained_iou_punishes_shrinking_and_growing() -> None:
    v = ConstrainedBoxIoU()
    exact = v.verify("[100, 100, 200, 150]", GOLD)
    assert exact.reward == pytest.approx(1) and exact.status == "correct"
    dot = v.verify("[149, 124, 151, 126]", GOLD)  # a tiny box on the centre: a hit, but...
    assert dot.components["hit"] == 1 and dot.reward < 0.05
    huge = v.verify("[0, 0, 800, 600]", GOLD)  # the whole screen: centre may miss, huge area
    assert huge.components["size"] < 0.05 and huge.reward < 0.05
    # a plain hit reward would score the dot 1; plain IoU gives the huge box > 0 too
    assert PointInBox().verify("[149, 124, 151, 126]", GOLD).reward == 1
    near = v.verify("[105, 102, 205, 152]", GOLD)
    assert 0.8 < near.reward < 1 and near.status == "correct"
    assert set(near.components) == {"hit", "iou", "size"}


def test_grounding_verifier_dispatches_on_answer_form() -> None:
    v = GroundingVerifier()
    assert v.verify("click(150, 120)", GOLD).components == {"hit": 1.0}
    assert set(v.verify("[100, 100, 200, 150]", GOLD).components) == {"hit", "iou", "size"}
    assert v.verify("", GOLD).status == "unparseable"
    assert v.verify("A" * 1_000_000, GOLD).reward == 0


def test_a_box_with_an_off_screen_corner_is_still_a_box() -> None:
    """Centred on the target, one corner at the coordinate cap (1e7): the size term must see it
    (it was routed to point-in-box, which paid its centre 1.0)."""
    v = GroundingVerifier()
    for answer in ("[140, -9999750, 160, 10000000]", "[-9999700, 124, 10000000, 126]"):
        verdict = v.verify(answer, GOLD)
        assert verdict.reward < 0.01 and verdict.status != "correct", answer
        assert set(verdict.components) == {"hit", "iou", "size"}


@pytest.mark.parametrize(
    "bad", [None, [], [1, 2, 3], [[5, 5, 1, 1]], "box", [[0, 0, float("nan"), 1]]]
)
def test_bad_reference_is_a_clear_error(bad: object) -> None:
    with pytest.raises(ValueError, match="box"):
        PointInBox().verify("click(1, 1)", bad)


def test_non_string_response_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        ConstrainedBoxIoU().verify(123, GOLD)  # type: ignore[arg-type]


def test_verify_batch_and_async() -> None:
    import asyncio

    v = PointInBox()
    assert [x.reward for x in v.verify_batch(["click(150,120)", "click(0,0)"], [GOLD, GOLD])] == [
        1,
        0,
    ]
    assert asyncio.run(v.averify("click(150, 120)", GOLD)).reward == 1


def test_a_huge_box_is_no_point_answer() -> None:
    """PointInBox read a box by its centre alone: the whole screen, centred on the target, was
    paid 1.0. A box counts as its centre while its area is within max_size_ratio of the
    target's; a box shrunk to a dot is a point and still counts."""
    v = PointInBox()
    for huge in ("[0, 0, 300, 250]", "[-10000000, -10000000, 10000300, 10000250]"):
        verdict = v.verify(huge, GOLD)
        assert (verdict.reward, verdict.status) == (0.0, "incorrect"), huge
    assert v.verify("[95, 95, 205, 155]", GOLD).reward == 1  # a loose box of the element
    assert v.verify("[150, 125, 150, 125]", GOLD).reward == 1  # a dot: a point
    assert PointInBox(max_size_ratio=20).verify("[0, 0, 300, 250]", GOLD).reward == 1
    assert v.verify("[0, 0, 300, 250]", [[0, 0, 400, 400], GOLD]).reward == 1  # its own target
    for bad in (0.5, float("nan"), float("inf"), "2", True):
        with pytest.raises(ValueError, match="max_size_ratio"):
            PointInBox(max_size_ratio=bad)  # type: ignore[arg-type]


def test_a_click_on_an_edge_two_elements_share_is_a_hit_for_one() -> None:
    """Both edges were counted, so a click on the edge two adjacent buttons share was a hit
    whichever of them was asked. A box covers its pixels: from its first corner up to, not
    including, its second."""
    left, right = [100, 100, 200, 150], [200, 100, 300, 150]
    v = GroundingVerifier()
    assert [v.verify("click(200, 120)", b).reward for b in (left, right)] == [0.0, 1.0]
    assert [v.verify("click(250, 150)", b).reward for b in (right, [200, 150, 300, 200])] == [
        0.0,
        1.0,
    ]
    assert v.verify("click(100, 100)", left).reward == 1  # the first corner is the box's
    assert v.verify("click(199.9, 149.9)", left).reward == 1
    one_pixel = [5, 5, 6, 6]  # the reference click of a one-pixel box is on it
    assert (
        PointInBox().verify(PointInBox().reference_response(one_pixel) or "", one_pixel).reward == 1
    )
