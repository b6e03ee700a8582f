"""A small event store for the API and browser tests, from articles written for them:
Indonesian and English reports of protests in Medan and Nairobi, a post in Nairobi
with its levels for 8-13 March 2023 and the alerts of their changes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pantau import alerts, levels, posts, store, tripwires
from pantau.ingest import ingest

ARTICLES = [
    {
        "id": "t-medan",
        "lang": "id",
        "published": "2023-03-10",
        "outlet": "Kabar Uji",
        "title": "Polisi tembakkan gas air mata di Medan",
        "text": "MEDAN - Polisi menembakkan gas air mata ke arah ribuan demonstran di Medan "
        "pada Kamis (9/3). Para pengunjuk rasa menolak kenaikan harga bahan bakar.\n\n"
        "Pemerintah Indonesia mengerahkan pasukan tambahan ke Medan pada Jumat (10/3), "
        "kata juru bicara kepolisian.",
    },
    {
        "id": "t-nairobi-1",
        "lang": "en",
        "published": "2023-03-11",
        "outlet": "Test Wire",
        "url": "https://example.org/nairobi-1",
        "text": "NAIROBI, March 11 - Kenyan police fired tear gas at protesters in Nairobi on "
        "Friday as crowds marched against rising food prices.\n\nThe United States embassy "
        "in Nairobi told its citizens to avoid the demonstrations, a spokesman said.",
    },
    {
        "id": "t-nairobi-2",
        "lang": "en",
        "published": "2023-03-12",
        "outlet": "Other Test Post",
        "text": "Police in Nairobi used tear gas against demonstrators on Friday, witnesses "
        "said. Kenya's government deployed troops to Mombasa on Saturday.",
    },
]


def build_store(path: Path) -> Path:
    """A store with the test articles, a post in Nairobi, its levels and alerts."""
    source = path.parent / f"{path.stem}-articles.jsonl"
    source.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n", encoding="utf-8")
    ingest([str(source)], path)
    conn = store.connect(path)
    post = posts.make_post("nbo", "Office Nairobi", -1.2864, 36.8172, "KEN", radius_km=30)
    posts.add_post(conn, post)
    days = levels.compute_levels(
        conn, [post], dt.date(2023, 3, 8), dt.date(2023, 3, 13), tripwires.load_rules()
    )
    alerts.record_changes(conn, [post], days)
    conn.close()
    return path
