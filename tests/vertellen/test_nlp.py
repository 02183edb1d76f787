"""The Dutch pipeline: lemmas, sentences, placeholders, and no downloads."""

from __future__ import annotations

import pytest
import spacy
import spacy.cli

from npdw_learning.vertellen import nlp as nlp_module
from npdw_learning.vertellen.nlp import (
    describe_pipeline,
    dutch_pipeline,
    is_placeholder,
    lemmatise,
)


@pytest.fixture(scope="module")
def nlp():
    return dutch_pipeline()


def test_bewoners_lemmatises_to_bewoner(nlp):
    assert nlp("bewoners")[0].lemma_ == "bewoner"


@pytest.mark.parametrize(
    ("word", "lemma"),
    [
        ("schulden", "schuld"),
        ("woont", "wonen"),
        ("speeltuinen", "speeltuin"),
        ("Bewoners", "bewoner"),
    ],
)
def test_inflected_forms_get_their_lemma(nlp, word, lemma):
    # The rule lemmatizer without a tagger would return the lowercased word.
    assert nlp(word)[0].lemma_ == lemma


def test_sentences_split(nlp):
    doc = nlp("Het plein is opgeknapt. Nu spelen de kinderen buiten! Fijn, toch?")
    assert [s.text for s in doc.sents] == [
        "Het plein is opgeknapt.",
        "Nu spelen de kinderen buiten!",
        "Fijn, toch?",
    ]


def test_placeholders_stay_one_token_and_inside_their_sentence(nlp):
    doc = nlp("Ik belde [PERSOON-1]. [PERSOON-2] woont op [ADRES-1], zei ze ([TELEFOONNUMMER-1]).")
    texts = [t.text for t in doc]
    for placeholder in ("[PERSOON-1]", "[PERSOON-2]", "[ADRES-1]", "[TELEFOONNUMMER-1]"):
        assert placeholder in texts
    assert [s.text for s in doc.sents] == [
        "Ik belde [PERSOON-1].",
        "[PERSOON-2] woont op [ADRES-1], zei ze ([TELEFOONNUMMER-1]).",
    ]


def test_is_placeholder():
    assert is_placeholder("[PERSOON-12]")
    assert is_placeholder("[URL]")
    assert not is_placeholder("[persoon]")
    assert not is_placeholder("Wielwijk")


def test_pipeline_is_cached(nlp):
    assert dutch_pipeline() is nlp


def test_fast_lemmatise_agrees_with_the_lemmatizer_component(nlp):
    text = (
        "De bewoners klaagden over schimmels en tochtige kozijnen. Wij kwamen niet rond, "
        "de schulden liepen op. Jongeren hingen rond bij de speeltuinen van [ADRES-1]."
    )
    fast = next(lemmatise([text], nlp))
    full = nlp(text)
    assert [t.lemma_ for t in fast] == [t.lemma_ for t in full]
    with_sents = next(lemmatise([text], nlp, sentences=True))
    assert len(list(with_sents.sents)) == 3


def test_fallback_never_downloads(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("dutch_pipeline mag niets downloaden")

    monkeypatch.setattr(spacy.cli, "download", no_network)
    monkeypatch.setattr(nlp_module, "is_package", lambda name: False)
    blank = nlp_module.dutch_pipeline.__wrapped__()
    assert blank.pipe_names == ["lemmatizer", "sentencizer"]
    assert blank("bewoners")[0].lemma_ == "bewoner"
    assert describe_pipeline(blank).startswith("spacy.blank('nl') + spacy-lookups-data")


def test_largest_installed_model_wins(monkeypatch):
    loaded = []

    def fake_load(name):
        loaded.append(name)
        return spacy.blank("nl")

    installed = {"nl_core_news_sm", "nl_core_news_md"}
    monkeypatch.setattr(nlp_module, "is_package", lambda name: name in installed)
    monkeypatch.setattr(nlp_module.spacy, "load", fake_load)
    nlp_module.dutch_pipeline.__wrapped__()
    assert loaded == ["nl_core_news_md"]


def test_the_built_in_tokenizer_splits_as_spacys_default_with_the_placeholder_rules(nlp):
    """The blank pipeline's tokenizer is built once with the placeholder rules; it must
    split every text exactly as spaCy's own default tokenizer with those rules set on it
    afterwards (the way a trained model gets them), on the bundled stories and on
    placeholders next to punctuation."""

    from npdw_learning.kern.paths import PROJ_ROOT

    reference = spacy.blank("nl")
    nlp_module._keep_placeholders(reference)
    texts = [p.read_text(encoding="utf-8") for p in sorted((PROJ_ROOT / "stories").glob("*.md"))]
    texts += [
        "Mevrouw [PERSOON-1]. woont op [ADRES-2], tel. [TELEFOONNUMMER-1]!",
        "([PERSOON-12]) zei: 'het is rustig.' Dat is 't, z.g.a.n. 2e-hands.",
        "www.example.org of info@example.org en 06-12345678? [URL]",
    ]
    assert len(texts) > 20
    for text in texts:
        assert [t.text for t in nlp.tokenizer(text)] == [t.text for t in reference(text)]
