-- +goose Up
CREATE TABLE message_results (
	seq        BIGINT GENERATED ALWAYS AS IDENTITY,
	id         TEXT        NOT NULL PRIMARY KEY,
	format     TEXT        NOT NULL DEFAULT '',
	decision   TEXT        NOT NULL,
	alerts     INTEGER     NOT NULL DEFAULT 0,
	source     TEXT        NOT NULL DEFAULT '',
	result     BYTEA       NOT NULL,
	deliveries INTEGER     NOT NULL DEFAULT 1,
	created_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX message_results_decision ON message_results (decision, seq);

-- +goose Down
DROP TABLE message_results;
