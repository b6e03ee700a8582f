-- pantau event store, schema 2: the situation monitor (posts, levels, alerts).
-- Times are ISO UTC text with offset (+00:00), days are the post's local date.

-- A place a user is responsible for: an embassy, an office, a city where citizens live.
CREATE TABLE posts (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    lat         REAL NOT NULL,
    lon         REAL NOT NULL,
    country     TEXT NOT NULL,            -- ISO 3166-1 alpha-3
    radius_km   REAL NOT NULL,
    city        TEXT,
    timezone    TEXT NOT NULL,            -- IANA name; from GeoNames when not given
    notes       TEXT,
    created_at  TEXT NOT NULL
);

-- The instant an article was published, where its source gives one (replay, JSONL
-- with timestamps): levels for a day only use what was published before its end.
CREATE TABLE article_times (
    article_id   INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    published_at TEXT NOT NULL
);
CREATE INDEX article_times_at ON article_times(published_at);

-- One row per post and local day: the level in force at the end of that day.
CREATE TABLE levels (
    post_id     TEXT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    day         TEXT NOT NULL,
    level       INTEGER NOT NULL,         -- 1 normal .. 4 leave
    raw_level   INTEGER NOT NULL,         -- what the rules alone said that day
    change      INTEGER NOT NULL,         -- +1 up, -1 down (after the quiet period), 0
    quiet_days  INTEGER NOT NULL,         -- days in a row the rules said less than `level`
    reasons     TEXT NOT NULL,            -- JSON: rules fired, events, evidence
    computed_at TEXT NOT NULL,
    PRIMARY KEY (post_id, day)
);

-- One alert per level change; `key` (post|day|from->to) keeps it from being made twice.
CREATE TABLE alerts (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    post_id     TEXT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    day         TEXT NOT NULL,
    level_from  INTEGER NOT NULL,
    level_to    INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    payload     TEXT NOT NULL             -- the JSON body every channel sends
);
CREATE INDEX alerts_post ON alerts(post_id, day);

-- What each channel did with each alert: sent once, or the failure and its reason.
CREATE TABLE alert_deliveries (
    alert_id    INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
    channel     TEXT NOT NULL,            -- log | webhook:URL | email:ADDRESS | atom:PATH
    status      TEXT NOT NULL,            -- sent | failed
    attempts    INTEGER NOT NULL,         -- HTTP/SMTP tries, over every round
    rounds      INTEGER NOT NULL,         -- dispatch passes that tried it
    error       TEXT,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (alert_id, channel)
);
