-- +goose Up
CREATE TABLE jobs (
	id         TEXT    NOT NULL PRIMARY KEY,
	kind       TEXT    NOT NULL,
	owner      TEXT    NOT NULL DEFAULT '',
	input_name TEXT    NOT NULL DEFAULT '',
	options    BLOB,
	state      TEXT    NOT NULL,
	total      INTEGER NOT NULL DEFAULT 0,
	done       INTEGER NOT NULL DEFAULT 0,
	alerts     INTEGER NOT NULL DEFAULT 0,
	errors     INTEGER NOT NULL DEFAULT 0,
	failure    TEXT    NOT NULL DEFAULT '',
	created_at TEXT    NOT NULL,
	updated_at TEXT    NOT NULL,
	input      BLOB    NOT NULL,
	result     BLOB
);

CREATE INDEX jobs_owner ON jobs (owner, created_at);

-- +goose Down
DROP TABLE jobs;
