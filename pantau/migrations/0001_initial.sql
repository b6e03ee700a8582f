-- pantau event store, schema 1.
-- Dates are ISO text (YYYY-MM-DD), times ISO UTC text. Lists of codes are
-- space-separated text (sorted) so that plain SQL can filter them.

CREATE TABLE ingest_runs (
    id          INTEGER PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    status      TEXT NOT NULL,            -- running | done | interrupted | killed | failed
    pid         INTEGER,
    coder       TEXT NOT NULL,            -- "pantau 0.1.0"
    sources     TEXT NOT NULL,            -- JSON list of the SOURCE arguments
    coded       INTEGER NOT NULL DEFAULT 0,
    recoded     INTEGER NOT NULL DEFAULT 0,
    mentions    INTEGER NOT NULL DEFAULT 0,
    already     INTEGER NOT NULL DEFAULT 0,   -- same content hash already stored
    near_dups   INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0,
    seconds     REAL
);

-- Inputs that were not stored, with the reason (bad line, other language, coder failure).
CREATE TABLE skipped (
    id      INTEGER PRIMARY KEY,
    run_id  INTEGER NOT NULL REFERENCES ingest_runs(id),
    source  TEXT NOT NULL,
    kind    TEXT NOT NULL,                -- input | language | failed
    reason  TEXT NOT NULL
);
CREATE INDEX skipped_run ON skipped(run_id);

CREATE TABLE articles (
    id          INTEGER PRIMARY KEY,
    hash        TEXT NOT NULL UNIQUE,     -- sha256 of the whitespace-collapsed text
    ext_id      TEXT NOT NULL,            -- the id the source gave
    source      TEXT NOT NULL,            -- where it was read ("file.jsonl:12")
    url         TEXT,
    outlet      TEXT,
    title       TEXT,
    published   TEXT,
    lang        TEXT,
    text        TEXT NOT NULL,
    coder       TEXT NOT NULL,
    run_id      INTEGER REFERENCES ingest_runs(id),
    ingested_at TEXT NOT NULL,
    dup_of      INTEGER REFERENCES articles(id),   -- near-duplicate of (the original)
    dup_score   REAL,
    minhash     BLOB                      -- uint32 MinHash signature, to rebuild the LSH index
);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_dup_of ON articles(dup_of);

-- Places as coded (first-level divisions may have no GeoNames id).
CREATE TABLE places (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,     -- geonameid|name|country|precision
    geonameid   INTEGER,
    name        TEXT,
    country     TEXT,
    admin1      TEXT,
    lat         REAL,
    lon         REAL,
    precision   TEXT
);

CREATE TABLE entities (
    id      INTEGER PRIMARY KEY,
    code    TEXT NOT NULL,                -- '' when the text gives no code
    sector  TEXT NOT NULL,                -- '' when the text gives no sector
    UNIQUE (code, sector)
);

CREATE TABLE events (
    id              TEXT PRIMARY KEY,     -- "ev-" + 12 hex digits of its first mention
    block           TEXT NOT NULL,        -- type|aux|country: mentions fuse only within a block
    type            TEXT NOT NULL,
    mode            TEXT NOT NULL,
    aux             TEXT NOT NULL,        -- '' (asserted) or e.g. "negation"
    cameo           TEXT,
    actor_codes     TEXT NOT NULL,
    actor_sector    TEXT,
    recipient_codes TEXT NOT NULL,
    recipient_sector TEXT,
    country         TEXT,
    geonameid       INTEGER,
    place_name      TEXT,
    admin1          TEXT,
    lat             REAL,
    lon             REAL,
    loc_precision   TEXT,
    date            TEXT,
    date_precision  TEXT,
    date_first      TEXT,
    date_last       TEXT,
    num_mentions    INTEGER NOT NULL,
    num_articles    INTEGER NOT NULL,
    num_sources     INTEGER NOT NULL,
    first_seen      TEXT,                 -- earliest publication among its articles
    last_seen       TEXT,
    confidence      REAL NOT NULL,
    signals         TEXT NOT NULL,
    langs           TEXT NOT NULL,
    rep_mention     INTEGER NOT NULL      -- the mention whose record represents the event
);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_country ON events(country);
CREATE INDEX events_type ON events(type);
CREATE INDEX events_block ON events(block);

CREATE TABLE mentions (
    id              INTEGER PRIMARY KEY,
    article_id      INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    record_id       TEXT NOT NULL,
    event_id        TEXT,                 -- NULL until fused
    block           TEXT NOT NULL,
    type            TEXT NOT NULL,
    mode            TEXT NOT NULL,
    aux             TEXT NOT NULL,
    cameo           TEXT,
    actor_codes     TEXT NOT NULL,
    actor_sectors   TEXT NOT NULL,
    recipient_codes TEXT NOT NULL,
    recipient_sectors TEXT NOT NULL,
    country         TEXT,
    place_id        INTEGER REFERENCES places(id),
    geonameid       INTEGER,
    place_name      TEXT,
    admin1          TEXT,
    lat             REAL,
    lon             REAL,
    loc_precision   TEXT,
    date            TEXT,
    date_precision  TEXT,
    signals         TEXT NOT NULL,
    sequence        INTEGER,
    sent_start      INTEGER,
    sent_end        INTEGER,
    trigger_start   INTEGER,
    trigger_end     INTEGER,
    sentence        TEXT NOT NULL,
    record_json     TEXT NOT NULL,
    UNIQUE (article_id, record_id)
);
CREATE INDEX mentions_event ON mentions(event_id);
CREATE INDEX mentions_block ON mentions(block);
CREATE INDEX mentions_date ON mentions(date);

CREATE TABLE mention_entities (
    mention_id  INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
    role        TEXT NOT NULL,            -- actor | recipient | attribution
    entity_id   INTEGER NOT NULL REFERENCES entities(id),
    text        TEXT
);
CREATE INDEX mention_entities_mention ON mention_entities(mention_id);
CREATE INDEX mention_entities_entity ON mention_entities(entity_id);

CREATE TABLE mention_signals (
    mention_id  INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
    signal      TEXT NOT NULL
);
CREATE INDEX mention_signals_signal ON mention_signals(signal);
CREATE INDEX mention_signals_mention ON mention_signals(mention_id);

-- Blocks whose mentions changed since the last fusion pass; written in the same
-- transaction as the article, so a crash never loses a pending fusion.
CREATE TABLE fusion_queue (
    block TEXT PRIMARY KEY
);

-- Full-text search over article text and evidence sentences (external content).
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
    VALUES ('delete', old.id, old.title, old.text);
END;

CREATE VIRTUAL TABLE mentions_fts USING fts5(
    sentence, content='mentions', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER mentions_ai AFTER INSERT ON mentions BEGIN
    INSERT INTO mentions_fts(rowid, sentence) VALUES (new.id, new.sentence);
END;
CREATE TRIGGER mentions_ad AFTER DELETE ON mentions BEGIN
    INSERT INTO mentions_fts(mentions_fts, rowid, sentence) VALUES ('delete', old.id, old.sentence);
END;
