-- +goose Up
CREATE TABLE ownerships (
	seq         INTEGER PRIMARY KEY AUTOINCREMENT,
	id          TEXT    NOT NULL UNIQUE,
	source      TEXT    NOT NULL,
	record      TEXT    NOT NULL DEFAULT '',
	owner       TEXT    NOT NULL,
	owned       TEXT    NOT NULL,
	share       TEXT    NOT NULL DEFAULT '',
	share_min   REAL    NOT NULL DEFAULT 0,
	share_max   REAL    NOT NULL DEFAULT 0,
	share_known INTEGER NOT NULL DEFAULT 0,
	role        TEXT    NOT NULL DEFAULT '',
	control     INTEGER NOT NULL DEFAULT 0,
	valid_from  TEXT    NOT NULL DEFAULT '',
	valid_to    TEXT    NOT NULL DEFAULT '',
	created_at  TEXT    NOT NULL
);

CREATE INDEX ownerships_source ON ownerships (source, seq);
CREATE INDEX ownerships_owner ON ownerships (owner);
CREATE INDEX ownerships_owned ON ownerships (owned);

-- +goose Down
DROP TABLE ownerships;
