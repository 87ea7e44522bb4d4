-- +goose Up
-- List versions and their entities, as the embedded store keeps them, so
-- that every replica of a cluster screens the same versions. JSON columns
-- are TEXT (kept byte for byte); an entity's record is its encoded JSON.
CREATE TABLE list_versions (
	list        TEXT        NOT NULL,
	version     INTEGER     NOT NULL,
	publisher   TEXT        NOT NULL DEFAULT '',
	format      TEXT        NOT NULL DEFAULT '',
	published   TEXT        NOT NULL DEFAULT '',
	imported_at TIMESTAMPTZ NOT NULL,
	checksum    TEXT        NOT NULL,
	sources     TEXT        NOT NULL DEFAULT '[]',
	counts      TEXT        NOT NULL DEFAULT '{}',
	total       INTEGER     NOT NULL DEFAULT 0,
	current     BOOLEAN     NOT NULL DEFAULT false,
	report      TEXT        NOT NULL DEFAULT '{}',
	PRIMARY KEY (list, version)
);

-- At most one current version per list.
CREATE UNIQUE INDEX list_versions_current ON list_versions (list) WHERE current;

CREATE TABLE entities (
	list    TEXT    NOT NULL,
	version INTEGER NOT NULL,
	id      TEXT    NOT NULL,
	hash    TEXT    NOT NULL,
	data    BYTEA   NOT NULL,
	PRIMARY KEY (list, version, id),
	FOREIGN KEY (list, version) REFERENCES list_versions (list, version) ON DELETE CASCADE
);

CREATE INDEX entities_id ON entities (id);

-- +goose Down
DROP TABLE entities;
DROP TABLE list_versions;
