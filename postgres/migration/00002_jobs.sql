-- +goose Up
CREATE TABLE jobs (
	seq        BIGINT GENERATED ALWAYS AS IDENTITY,
	id         TEXT        NOT NULL PRIMARY KEY,
	kind       TEXT        NOT NULL,
	owner      TEXT        NOT NULL DEFAULT '',
	input_name TEXT        NOT NULL DEFAULT '',
	options    BYTEA,
	state      TEXT        NOT NULL,
	total      INTEGER     NOT NULL DEFAULT 0,
	done       INTEGER     NOT NULL DEFAULT 0,
	alerts     INTEGER     NOT NULL DEFAULT 0,
	errors     INTEGER     NOT NULL DEFAULT 0,
	failure    TEXT        NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	input      BYTEA       NOT NULL,
	result     BYTEA
);

CREATE INDEX jobs_owner ON jobs (owner, created_at);

-- +goose Down
DROP TABLE jobs;
