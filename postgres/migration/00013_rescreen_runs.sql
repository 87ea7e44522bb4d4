-- +goose Up
-- Re-screening runs split into pages that the replicas of a cluster
-- screen from a work queue. A page is recorded done once, whichever
-- replica (and however often) screened it.
CREATE TABLE rescreen_runs (
	id          TEXT        NOT NULL PRIMARY KEY,
	state       TEXT        NOT NULL,
	full_run    BOOLEAN     NOT NULL DEFAULT false,
	plan        TEXT        NOT NULL DEFAULT '{}',
	actor       TEXT        NOT NULL DEFAULT '',
	pages       INTEGER     NOT NULL,
	parties     INTEGER     NOT NULL,
	failure     TEXT        NOT NULL DEFAULT '',
	report      TEXT        NOT NULL DEFAULT '{}',
	created_at  TIMESTAMPTZ NOT NULL,
	updated_at  TIMESTAMPTZ NOT NULL,
	finished_at TIMESTAMPTZ
);

CREATE INDEX rescreen_runs_created ON rescreen_runs (created_at DESC);

CREATE TABLE rescreen_pages (
	run_id     TEXT        NOT NULL REFERENCES rescreen_runs (id) ON DELETE CASCADE,
	page       INTEGER     NOT NULL,
	after_id   TEXT        NOT NULL,
	through_id TEXT        NOT NULL,
	replica    TEXT        NOT NULL DEFAULT '',
	parties    INTEGER     NOT NULL DEFAULT 0,
	screened   INTEGER     NOT NULL DEFAULT 0,
	alerts     INTEGER     NOT NULL DEFAULT 0,
	suppressed INTEGER     NOT NULL DEFAULT 0,
	pending    INTEGER     NOT NULL DEFAULT 0,
	digest     TEXT        NOT NULL DEFAULT '',
	done_at    TIMESTAMPTZ,
	PRIMARY KEY (run_id, page)
);

-- +goose Down
DROP TABLE rescreen_pages;
DROP TABLE rescreen_runs;
