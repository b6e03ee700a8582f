"""Shared helpers of the stage tests (imported as ``helpers``: pytest puts tests/ on the
path). Texts in tests are written for them."""

from __future__ import annotations

import datetime as dt
import re

from pantau.document import Article, Document, Sentence, Span

# A crude sentence: from a non-space to . ! ? before a space or the end, or to a line break.
_SENTENCE = re.compile(r"[^\s][^\n]*?(?:[.!?](?=\s|$)|(?=\n)|$)")


def make_doc(
    text: str,
    lang: str,
    published: dt.date | None = None,
    dateline: str | None = None,
    title: str | None = None,
) -> Document:
    """A document with crude sentences (split after . ! ? and at line breaks), without
    running the segmenter, so that one stage can be tested alone."""
    article = Article(id="t", text=text, published=published, lang=lang, title=title)
    doc = Document(article=article, text=text, lang=lang)
    for m in _SENTENCE.finditer(text):
        if m.group().strip():
            doc.sentences.append(Sentence(len(doc.sentences), m.start(), m.end(), m.group(), 0))
    if dateline:
        i = text.index(dateline)
        doc.dateline = Span("dateline", i, i + len(dateline), dateline)
    return doc
