-- +goose Up
-- Adverse media: articles with what the scanner found in them. The JSON
-- columns keep the mentions and topics as found; article_refs and
-- article_parties index them for the filters and record the alerts raised.
CREATE TABLE articles (
	seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	id          TEXT        NOT NULL UNIQUE,
	url         TEXT        NOT NULL DEFAULT '',
	title       TEXT        NOT NULL,
	source      TEXT        NOT NULL DEFAULT '',
	feed        TEXT        NOT NULL DEFAULT '',
	published   TIMESTAMPTZ,
	text        TEXT        NOT NULL DEFAULT '',
	hash        TEXT        NOT NULL UNIQUE,
	mentions    TEXT        NOT NULL DEFAULT '[]',
	topics      TEXT        NOT NULL DEFAULT '[]',
	ingested_at TIMESTAMPTZ NOT NULL
);
-- An article's URL is unique when it has one.
CREATE UNIQUE INDEX articles_url ON articles (url) WHERE url <> '';

-- What an article mentions, for the filters: kind 'entity' (a listed
-- entity) or 'topic' (a risk topic).
CREATE TABLE article_refs (
	article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	kind       TEXT NOT NULL,
	ref        TEXT NOT NULL,
	PRIMARY KEY (article_id, kind, ref)
);
CREATE INDEX article_refs_ref ON article_refs (kind, ref);

-- The parties of the book an article mentions, and the alert raised on
-- each (claimed once an alert was claimed for the pair).
CREATE TABLE article_parties (
	article_id TEXT             NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	party_id   TEXT             NOT NULL,
	name       TEXT             NOT NULL DEFAULT '',
	count      INTEGER          NOT NULL DEFAULT 0,
	score      DOUBLE PRECISION NOT NULL DEFAULT 0,
	topics     TEXT             NOT NULL DEFAULT '[]',
	claimed    BOOLEAN          NOT NULL DEFAULT false,
	alert_id   TEXT             NOT NULL DEFAULT '',
	PRIMARY KEY (article_id, party_id)
);
CREATE INDEX article_parties_party ON article_parties (party_id);

-- +goose Down
DROP TABLE article_parties;
DROP TABLE article_refs;
DROP TABLE articles;
