-- +goose Up
CREATE TABLE parties (
	id          TEXT        NOT NULL PRIMARY KEY,
	kind        TEXT        NOT NULL DEFAULT '',
	name        TEXT        NOT NULL,
	aliases     TEXT        NOT NULL DEFAULT '[]',
	dob         TEXT        NOT NULL DEFAULT '',
	country     TEXT        NOT NULL DEFAULT '',
	identifiers TEXT        NOT NULL DEFAULT '[]',
	address     TEXT        NOT NULL DEFAULT '',
	hash        TEXT        NOT NULL,
	version     INTEGER     NOT NULL,
	removed     BOOLEAN     NOT NULL DEFAULT false,
	created_at  TIMESTAMPTZ NOT NULL,
	updated_at  TIMESTAMPTZ NOT NULL
);

-- JSON columns are TEXT, not JSONB: an explanation is kept byte for byte
-- as it was, and audit payloads must hash the same when read back.
CREATE TABLE alerts (
	seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	id          TEXT             NOT NULL UNIQUE,
	party_id    TEXT             NOT NULL,
	party_hash  TEXT             NOT NULL,
	party_name  TEXT             NOT NULL DEFAULT '',
	entity_id   TEXT             NOT NULL,
	entity_hash TEXT             NOT NULL DEFAULT '',
	entity_name TEXT             NOT NULL DEFAULT '',
	listings    TEXT             NOT NULL DEFAULT '[]',
	lists       TEXT             NOT NULL DEFAULT '',
	policy      TEXT             NOT NULL DEFAULT '',
	score       DOUBLE PRECISION NOT NULL,
	explanation TEXT             NOT NULL DEFAULT 'null',
	state       TEXT             NOT NULL,
	closed      BOOLEAN          NOT NULL DEFAULT false,
	assignee    TEXT             NOT NULL DEFAULT '',
	comments    TEXT             NOT NULL DEFAULT '[]',
	changes     TEXT             NOT NULL DEFAULT '[]',
	notes       TEXT             NOT NULL DEFAULT '[]',
	version     INTEGER          NOT NULL,
	created_at  TIMESTAMPTZ      NOT NULL,
	updated_at  TIMESTAMPTZ      NOT NULL
);

-- One alert that is not closed per party and entity.
CREATE UNIQUE INDEX alerts_pending ON alerts (party_id, entity_id) WHERE NOT closed;
CREATE INDEX alerts_party ON alerts (party_id, entity_id);
CREATE INDEX alerts_entity ON alerts (entity_id);
CREATE INDEX alerts_state ON alerts (state, seq);
CREATE INDEX alerts_assignee ON alerts (assignee, seq);

CREATE TABLE decisions (
	id          TEXT        NOT NULL PRIMARY KEY,
	alert_id    TEXT        NOT NULL REFERENCES alerts (id),
	state       TEXT        NOT NULL,
	suppress    BOOLEAN     NOT NULL DEFAULT false,
	comment     TEXT        NOT NULL DEFAULT '',
	status      TEXT        NOT NULL,
	proposed_by TEXT        NOT NULL,
	proposed_at TIMESTAMPTZ NOT NULL,
	approved_by TEXT        NOT NULL DEFAULT '',
	approved_at TIMESTAMPTZ
);

CREATE INDEX decisions_alert ON decisions (alert_id, proposed_at);

CREATE TABLE good_guys (
	party_id    TEXT             NOT NULL,
	entity_id   TEXT             NOT NULL,
	party_hash  TEXT             NOT NULL,
	entity_hash TEXT             NOT NULL,
	score       DOUBLE PRECISION NOT NULL,
	decision_id TEXT             NOT NULL DEFAULT '',
	approved_by TEXT             NOT NULL DEFAULT '',
	created_at  TIMESTAMPTZ      NOT NULL,
	PRIMARY KEY (party_id, entity_id)
);

CREATE TABLE checkpoints (
	name       TEXT        NOT NULL PRIMARY KEY,
	data       BYTEA       NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE audit (
	seq     BIGINT      NOT NULL PRIMARY KEY,
	time    TIMESTAMPTZ NOT NULL,
	actor   TEXT        NOT NULL,
	action  TEXT        NOT NULL,
	object  TEXT        NOT NULL DEFAULT '',
	payload TEXT        NOT NULL DEFAULT '',
	prev    TEXT        NOT NULL,
	hash    TEXT        NOT NULL
);

CREATE INDEX audit_time ON audit (time);
CREATE INDEX audit_object ON audit (object, seq);

-- A one-row table whose update starts every audit append: the row lock
-- serializes appends from every connection and server into one chain.
CREATE TABLE audit_lock (id INTEGER NOT NULL PRIMARY KEY, appends BIGINT NOT NULL);
INSERT INTO audit_lock (id, appends) VALUES (1, 0);

-- +goose Down
DROP TABLE audit_lock;
DROP TABLE audit;
DROP TABLE checkpoints;
DROP TABLE good_guys;
DROP TABLE decisions;
DROP TABLE alerts;
DROP TABLE parties;
