"""Dutch NLP: one spaCy pipeline for coding, distinctive terms and quotes.

:func:`dutch_pipeline` uses a trained ``nl_core_news_*`` pipeline when one is
installed (lg before md before sm) and otherwise ``spacy.blank("nl")`` with the
*lookup* lemmatizer of ``spacy-lookups-data`` plus a rule-based sentencizer.
The lookup mode matters: spaCy's default rule mode needs part-of-speech tags,
and without a tagger it silently returns lowercased words instead of lemmas.

Nothing is ever downloaded: a missing model means the fallback, not a network
call. Both pipelines keep pseudonymisation placeholders such as ``[PERSOON-1]``
as one token, so they can be recognised and left out of term lists and quotes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from importlib.metadata import PackageNotFoundError, version

import numpy as np
import spacy
from spacy.attrs import LEMMA, LOWER
from spacy.lang.nl.lemmatizer import DutchLemmatizer
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, is_package

__all__ = [
    "MODELS",
    "PLACEHOLDER",
    "dutch_pipeline",
    "describe_pipeline",
    "is_placeholder",
    "lemmatise",
]

# Largest first: when several are installed, the better lemmatiser wins.
MODELS = ("nl_core_news_lg", "nl_core_news_md", "nl_core_news_sm")

# The typed placeholders the importer writes: [PERSOON-1], [ADRES-2], [TELEFOONNUMMER-1], [URL].
PLACEHOLDER = re.compile(r"\[[A-Z][A-Z_]*(?:-\d+)?\]")


def is_placeholder(text: str) -> bool:
    """Whether ``text`` is exactly one pseudonymisation placeholder.

    Examples
    --------
    >>> is_placeholder("[PERSOON-1]"), is_placeholder("Wielwijk")
    (True, False)
    """
    return PLACEHOLDER.fullmatch(text) is not None


@functools.lru_cache(maxsize=1)
def dutch_pipeline() -> Language:
    """The shared Dutch pipeline (built once per process, then cached).

    Returns
    -------
    spacy.Language
        ``nl_core_news_lg``/``md``/``sm`` when installed, else ``spacy.blank("nl")``
        with a lookup lemmatizer and a sentencizer. Treat it as read-only: it is
        shared by every caller.

    Examples
    --------
    >>> nlp = dutch_pipeline()
    >>> [t.lemma_ for t in nlp("De bewoners")]
    ['de', 'bewoner']
    >>> len(list(nlp("Het is rustig. De buren groeten weer.").sents))
    2
    """
    for name in MODELS:
        if is_package(name):
            nlp = spacy.load(name)
            _keep_placeholders(nlp)
            break
    else:
        # The placeholder-keeping tokenizer from the start: setting its rules on spaCy's
        # default one afterwards rebuilds its 14,000 special cases once per rule.
        nlp = spacy.blank("nl", config={"nlp": {"tokenizer": {"@tokenizers": _TOKENIZER}}})
        # Lookup tables come from the installed spacy-lookups-data package.
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.add_pipe("sentencizer")
        nlp.initialize()
    return nlp


def describe_pipeline(nlp: Language | None = None) -> str:
    """A one-line description for reports and ``manifest.json``.

    Examples
    --------
    >>> describe_pipeline().startswith(("nl_core_news", "spacy.blank"))
    True
    """
    nlp = nlp if nlp is not None else dutch_pipeline()
    meta = nlp.meta
    if meta.get("name", "pipeline") != "pipeline":  # a packaged model
        return (
            f"{meta['lang']}_{meta['name']} {meta.get('version', '?')} (spaCy {spacy.__version__})"
        )
    try:
        lookups = version("spacy-lookups-data")
    except PackageNotFoundError:  # pragma: no cover - a dependency of the project
        lookups = "?"
    return f"spacy.blank('nl') + spacy-lookups-data {lookups} (spaCy {spacy.__version__})"


def lemmatise(
    texts: Iterable[str],
    nlp: Language | None = None,
    *,
    sentences: bool = False,
    batch_size: int = 256,
) -> Iterator[Doc]:
    """Run texts through the pipeline for lemmas (and sentences), skipping the rest.

    Parameters
    ----------
    texts : iterable of str
    nlp : spacy.Language, optional
        Defaults to :func:`dutch_pipeline`.
    sentences : bool
        Also set sentence boundaries (``doc.sents``).
    batch_size : int
        Texts per ``nlp.pipe`` batch.

    Yields
    ------
    Doc
        One per text, in order, with ``token.lemma_`` set.

    Notes
    -----
    With the blank pipeline the lookup lemmatizer looks words up one token at
    a time in Python, which is a third of the time of coding a large
    collection. Here the same table is applied once per distinct word of a
    document (the same result: lowercase the word, look it up, keep the word
    when it is not in the table; ``tests/test_nlp.py`` checks the two agree).

    Examples
    --------
    >>> [t.lemma_ for t in next(lemmatise(["Bewoners klaagden"]))]
    ['bewoner', 'klagen']
    """
    nlp = nlp if nlp is not None else dutch_pipeline()
    skip = {"ner"} if sentences else {"ner", "parser", "senter", "sentencizer"}
    lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
    fast = isinstance(lemmatizer, DutchLemmatizer) and lemmatizer.mode == "lookup"
    if fast:
        skip.add("lemmatizer")
    disable = [name for name in nlp.pipe_names if name in skip]
    docs = nlp.pipe(texts, batch_size=batch_size, disable=disable)
    if not fast:
        yield from docs
        return
    table = lemmatizer.lookups.get_table("lemma_lookup", {})
    strings = nlp.vocab.strings
    cache: dict[int, int] = {}  # hash of the lowercased word -> hash of its lemma
    for doc in docs:
        if len(doc):
            lower = doc.to_array([LOWER])
            distinct, where = np.unique(lower, return_inverse=True)
            lemmas = np.empty(len(distinct), dtype=np.uint64)
            for k, h in enumerate(distinct.tolist()):
                lemma = cache.get(h)
                if lemma is None:
                    word = strings[h]
                    lemma = cache[h] = strings.add(table.get(word, word))
                lemmas[k] = lemma
            doc.from_array([LEMMA], lemmas[where].reshape(-1, 1))
        yield doc


# As a prefix, a placeholder is split off whole before "[" or a trailing "." could be;
# without this "[PERSOON-1]." becomes "[", "PERSOON-1", "]." and the sentencizer may even
# end a sentence inside it. As a token match, a placeholder alone is one token.


def _placeholder_prefixes(nlp: Language):
    return compile_prefix_regex([PLACEHOLDER.pattern, *nlp.Defaults.prefixes]).search


def _placeholder_match(match):
    pattern = PLACEHOLDER.fullmatch

    def token_match(text: str):
        return pattern(text) or (match(text) if match else None)

    return token_match


def _keep_placeholders(nlp: Language) -> None:
    """Make a loaded pipeline's tokenizer keep placeholders (a trained model)."""
    nlp.tokenizer.prefix_search = _placeholder_prefixes(nlp)
    nlp.tokenizer.token_match = _placeholder_match(nlp.tokenizer.token_match)


_TOKENIZER = "npdw_placeholder_tokenizer.v1"


@spacy.registry.tokenizers(_TOKENIZER)
def _placeholder_tokenizer() -> Callable[[Language], Tokenizer]:
    """spaCy's default tokenizer for the language (``spacy.language.create_tokenizer``)
    with the placeholder rules above, built once."""

    def build(nlp: Language) -> Tokenizer:
        d = nlp.Defaults
        return Tokenizer(
            nlp.vocab,
            rules=d.tokenizer_exceptions,
            prefix_search=_placeholder_prefixes(nlp),
            suffix_search=compile_suffix_regex(d.suffixes).search if d.suffixes else None,
            infix_finditer=compile_infix_regex(d.infixes).finditer if d.infixes else None,
            token_match=_placeholder_match(d.token_match),
            url_match=d.url_match,
        )

    return build
