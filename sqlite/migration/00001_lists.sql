-- +goose Up
CREATE TABLE list_versions (
	list        TEXT    NOT NULL,
	version     INTEGER NOT NULL,
	publisher   TEXT    NOT NULL DEFAULT '',
	format      TEXT    NOT NULL DEFAULT '',
	published   TEXT    NOT NULL DEFAULT '',
	imported_at TEXT    NOT NULL,
	checksum    TEXT    NOT NULL,
	sources     TEXT    NOT NULL DEFAULT '[]',
	counts      TEXT    NOT NULL DEFAULT '{}',
	total       INTEGER NOT NULL DEFAULT 0,
	current     INTEGER NOT NULL DEFAULT 0,
	report      TEXT    NOT NULL DEFAULT '{}',
	PRIMARY KEY (list, version)
);

CREATE TABLE entities (
	list    TEXT    NOT NULL,
	version INTEGER NOT NULL,
	id      TEXT    NOT NULL,
	hash    TEXT    NOT NULL,
	data    BLOB    NOT NULL,
	PRIMARY KEY (list, version, id),
	FOREIGN KEY (list, version) REFERENCES list_versions (list, version) ON DELETE CASCADE
);

CREATE INDEX entities_id ON entities (id);

-- +goose Down
DROP TABLE entities;
DROP TABLE list_versions;
