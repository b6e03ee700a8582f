"""Where articles come from: folders, JSONL, CSV, WARC, RSS/Atom feeds (files or URLs).

:func:`open_source` turns one ``SOURCE`` argument of ``pantau ingest`` into a
:class:`Source`: a stream of :class:`~pantau.document.Article` objects, with a
problem that concerns one item only (a bad JSON line, a page without article
text, a fetch that failed) *yielded* as an :class:`~pantau.errors.InputError`
so the caller records it and goes on. A problem with the whole source (missing,
unreadable, not that format) raises.

Kinds, guessed from the name and first bytes unless given:

- ``folder``: every ``.txt``/``.html``/``.htm`` file below it, in path order;
- ``jsonl``: one article per line (``id, text, published, lang, url, title, outlet``);
- ``csv``: a header row with at least ``text``; ``date`` or ``published``, ``url``,
  ``title``, ``id``, ``lang``, ``outlet`` are used when present (the Wikinews
  files have ``url,date,title,text``);
- ``warc``: HTML ``response`` records of a (gzipped) WARC file, read with warcio;
- ``feed``: an RSS or Atom file or URL (feedparser); each entry's link is fetched
  politely (:class:`Fetcher`), or with ``fetch=False`` the entry's own content is
  the text;
- ``text``/``html``: one article file (as ``pantau code`` reads it).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import time
import urllib.robotparser
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pantau import __version__
from pantau.document import Article
from pantau.errors import InputError
from pantau.read import MAX_BYTES, decode_text, iter_articles

KINDS = ("folder", "jsonl", "csv", "warc", "feed", "text", "html")
_SUFFIX = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".warc": "warc"}
_SUFFIX |= {".rss": "feed", ".atom": "feed", ".xml": "feed"}
_SUFFIX |= {".txt": "text", ".html": "html", ".htm": "html"}
_FOLDER_FILES = (".txt", ".html", ".htm")
# Second-level labels under which registries sell names (kompas.co.id, bbc.co.uk).
_SECOND_LEVEL = frozenset({"co", "com", "net", "org", "or", "ac", "go", "gov", "edu", "web", "my"})

Item = Article | InputError


@dataclass
class Source:
    """One SOURCE argument: its kind, a size estimate for the progress bar, its items."""

    name: str
    kind: str
    total: int | None
    items: Iterator[Item]


@dataclass
class Fetcher:
    """Polite HTTP fetching for feeds: a User-Agent, timeouts, robots.txt, at most one
    request per ``delay`` seconds to a host, and ``retries`` more tries (with backoff,
    honouring ``Retry-After``) on timeouts, connection errors, 429 and 5xx answers."""

    delay: float = 1.0
    timeout: float = 20.0
    retries: int = 2
    sleep: Callable[[float], None] = time.sleep
    _client: Any = field(default=None, repr=False)
    _last: dict[str, float] = field(default_factory=dict, repr=False)
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(
        default_factory=dict, repr=False
    )

    @property
    def user_agent(self) -> str:
        return f"pantau/{__version__} (news event coder; polite fetcher)"

    def get(self, url: str) -> bytes:
        """The body of ``url``; raises :class:`InputError` with the reason on failure."""
        if not self._allowed(url):
            raise InputError("robots.txt disallows fetching it", url)
        return self._get(url)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _get(self, url: str) -> bytes:
        import httpx  # only feeds need it

        if self._client is None:
            self._client = httpx.Client(
                timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 10.0)),
                follow_redirects=True,
                headers={"User-Agent": self.user_agent},
            )
        reason = ""
        for attempt in range(self.retries + 1):
            self._wait(url)
            wait = self.delay * 2**attempt
            try:
                resp = self._client.get(url)
            except httpx.HTTPError as exc:
                reason = f"fetch failed: {type(exc).__name__}"
            else:
                if resp.status_code == 200:
                    if len(resp.content) > MAX_BYTES:
                        raise InputError("page is larger than the 5 MB limit", url)
                    return resp.content
                reason = f"HTTP {resp.status_code}"
                if resp.status_code != 429 and resp.status_code < 500:
                    break  # 404, 403...: asking again will not help
                wait = max(wait, _retry_after(resp.headers.get("Retry-After")))
            if attempt < self.retries:
                self.sleep(min(wait, 60.0))
        raise InputError(reason, url)

    def _wait(self, url: str) -> None:
        host = urlsplit(url).netloc
        last = self._last.get(host)
        if last is not None:
            gap = time.monotonic() - last
            if gap < self.delay:
                self.sleep(self.delay - gap)
        self._last[host] = time.monotonic()

    def _allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        if root not in self._robots:
            parser: urllib.robotparser.RobotFileParser | None = None
            try:
                body = self._get(root + "/robots.txt")
            except InputError:
                body = None  # no robots.txt (404) or unreachable: nothing forbids it
            if body is not None:
                parser = urllib.robotparser.RobotFileParser()
                parser.parse(body.decode("utf-8", "replace").splitlines())
            self._robots[root] = parser
        parser = self._robots[root]
        return parser is None or parser.can_fetch(self.user_agent, url)


def outlet_of(url: str | None) -> str | None:
    """The outlet a URL belongs to: its registered domain (``nasional.kompas.com`` ->
    ``kompas.com``, ``www.bbc.co.uk`` -> ``bbc.co.uk``), None without a URL."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    labels = [x for x in host.split(".") if x]
    if len(labels) < 2:
        return host or None
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def detect_kind(spec: str) -> str | None:
    """The kind of ``spec`` from its name or first bytes; None when only
    :func:`pantau.read.iter_articles` can tell (a text or HTML file)."""
    if spec.startswith(("http://", "https://")):
        return "feed"
    path = Path(spec)
    if path.is_dir():
        return "folder"
    name = path.name.lower()
    if name.endswith((".warc.gz", ".arc.gz")):
        return "warc"
    kind = _SUFFIX.get(path.suffix.lower())
    if kind:
        return kind
    try:
        with path.open("rb") as f:
            head = f.read(2048)
        if head.startswith(b"\x1f\x8b"):
            with gzip.open(path, "rb") as f:
                head = f.read(2048)
    except (OSError, EOFError):
        return None
    if head.startswith(b"WARC/"):
        return "warc"
    lower = head.lower()
    if lower.lstrip().startswith(b"<?xml") and (b"<rss" in lower or b"<feed" in lower):
        return "feed"
    return None


def open_source(
    spec: str,
    kind: str | None = None,
    *,
    lang: str | None = None,
    published: dt.date | None = None,
    fetch: bool = True,
    fetcher: Fetcher | None = None,
) -> Source:
    """The articles of one SOURCE (see the module docstring for the kinds).

    ``lang`` overrides every article's language; ``published`` is the fallback
    date of articles whose source gives none.
    """
    if kind is not None and kind not in KINDS:
        raise InputError(f"unknown source format {kind!r}; use one of {', '.join(KINDS)}")
    is_url = spec.startswith(("http://", "https://"))
    if not is_url and spec != "-" and not Path(spec).exists():
        raise InputError("no such file or folder", spec)
    kind = kind or detect_kind(spec)
    if kind == "folder":
        files = sorted(
            p for p in Path(spec).rglob("*") if p.is_file() and p.suffix.lower() in _FOLDER_FILES
        )
        if not files:
            raise InputError("no .txt or .html files in this folder", spec)
        items = _folder(files, lang, published)
        return Source(spec, kind, len(files), _with_lang(items, lang))
    if kind == "jsonl":
        return Source(
            spec,
            kind,
            _count_lines(spec),
            iter_articles(spec, "jsonl", lang=lang, published=published),
        )
    if kind == "csv":
        rows = _csv(spec, published)
        return Source(spec, kind, len(rows), _with_lang(iter(rows), lang))
    if kind == "warc":
        return Source(spec, kind, None, _with_lang(_warc(spec, published), lang))
    if kind == "feed":
        owned = fetcher is None
        fetcher = fetcher or Fetcher()
        items = _feed(spec, published, fetch, fetcher, close=owned)
        return Source(spec, kind, None, _with_lang(items, lang))
    articles = iter_articles(spec, kind, lang=lang, published=published)
    return Source(spec, kind or "text", 1, articles)


def _with_lang(items: Iterator[Item], lang: str | None) -> Iterator[Item]:
    for item in items:
        if lang is not None and isinstance(item, Article):
            item.lang = lang
        yield item


def _folder(files: list[Path], lang: str | None, published: dt.date | None) -> Iterator[Item]:
    for path in files:
        try:
            yield from iter_articles(str(path), None, lang=lang, published=published)
        except InputError as exc:
            yield exc


def _count_lines(spec: str) -> int:
    with open(spec, "rb") as f:
        return sum(1 for line in f if line.strip())


def _csv(spec: str, published: dt.date | None) -> list[Item]:
    """All rows at once: a bad header is known before anything is stored, and the
    progress bar gets its total."""
    csv.field_size_limit(MAX_BYTES)
    text, _ = decode_text(Path(spec).read_bytes())
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or "text" not in reader.fieldnames:
        raise InputError("a CSV source needs a header row with a 'text' column", spec)
    stem = Path(spec).stem
    items: list[Item] = []
    try:
        for row in reader:
            line = reader.line_num
            if not (row.get("text") or "").strip():
                items.append(InputError("no text in this row", spec, line))
                continue
            url = _opt(row.get("url"))
            raw_date = _opt(row.get("published")) or _opt(row.get("date"))
            items.append(
                Article(
                    id=_opt(row.get("id")) or url or f"{stem}:{line}",
                    text=row["text"],
                    source=f"{spec}:{line}",
                    published=_date(raw_date) or published,
                    lang=_opt(row.get("lang")),
                    url=url,
                    title=_opt(row.get("title")),
                    outlet=_opt(row.get("outlet")),
                )
            )
    except csv.Error as exc:
        items.append(InputError(f"bad CSV: {exc}", spec, reader.line_num))
    return items


def _warc(spec: str, published: dt.date | None) -> Iterator[Item]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    with open(spec, "rb") as stream:
        try:
            for n, record in enumerate(ArchiveIterator(stream), 1):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                ctype = (record.http_headers.get_header("Content-Type") or "").lower()
                status = record.http_headers.get_statuscode()
                if "html" not in ctype or status != "200":
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                yield _html_item(record.content_stream().read(), url or f"{spec}#{n}", published)
        except ArchiveLoadFailed as exc:
            yield InputError(f"not a readable WARC file: {exc}", spec)


def _feed(
    spec: str, published: dt.date | None, fetch: bool, fetcher: Fetcher, *, close: bool
) -> Iterator[Item]:
    import feedparser

    try:
        data = fetcher.get(spec) if spec.startswith(("http://", "https://")) else None
        parsed = feedparser.parse(data if data is not None else Path(spec).read_bytes())
        if not parsed.entries and parsed.get("bozo"):
            raise InputError(f"not an RSS or Atom feed: {parsed.get('bozo_exception')}", spec)
        for entry in parsed.entries:
            link = entry.get("link")
            date = _struct_date(entry.get("published_parsed") or entry.get("updated_parsed"))
            date = date or published
            if fetch and link:
                try:
                    item = _html_item(fetcher.get(link), link, date)
                except InputError as exc:
                    item = exc
            else:
                item = _entry_article(entry, spec, date)
            if isinstance(item, Article):
                item.title = item.title or _opt(entry.get("title"))
                item.url = item.url or link
            yield item
    finally:
        if close:
            fetcher.close()


def _entry_article(entry: Any, spec: str, date: dt.date | None) -> Item:
    """An article from the feed's own content (no fetching): full content, else summary."""
    from lxml import html as lxml_html

    contents = entry.get("content") or []
    body = contents[0].get("value") if contents else entry.get("summary")
    link = entry.get("link") or entry.get("id") or spec
    if not body or not body.strip():
        return InputError("feed entry has no content", link)
    paragraphs = lxml_html.fromstring(f"<div>{body}</div>").xpath("//p")
    if paragraphs:
        text = "\n".join(p.text_content().strip() for p in paragraphs if p.text_content().strip())
    else:
        text = lxml_html.fromstring(f"<div>{body}</div>").text_content().strip()
    return Article(id=link, text=text, source=link, published=date, url=entry.get("link"))


def _html_item(data: bytes, url: str, published: dt.date | None) -> Item:
    # read.py's HTML reader (trafilatura + htmldate) is what `pantau code page.html` uses.
    from pantau.read import article_from_html

    try:
        article = article_from_html(data, url, url, published)
    except InputError as exc:
        return exc
    article.url = article.url or url
    return article


def _retry_after(value: str | None) -> float:
    """Seconds from a ``Retry-After`` header given in seconds (dates are rare: 0)."""
    try:
        return max(0.0, float(value)) if value else 0.0
    except ValueError:
        return 0.0


def _struct_date(value: Any) -> dt.date | None:
    return dt.date(value.tm_year, value.tm_mon, value.tm_mday) if value else None


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _opt(value: Any) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None
