-- +goose Up
CREATE TABLE message_results (
	id         TEXT    NOT NULL PRIMARY KEY,
	format     TEXT    NOT NULL DEFAULT '',
	decision   TEXT    NOT NULL,
	alerts     INTEGER NOT NULL DEFAULT 0,
	source     TEXT    NOT NULL DEFAULT '',
	result     BLOB    NOT NULL,
	deliveries INTEGER NOT NULL DEFAULT 1,
	created_at TEXT    NOT NULL
);

CREATE INDEX message_results_decision ON message_results (decision, created_at);

-- +goose Down
DROP TABLE message_results;
