-- +goose Up
CREATE TABLE ownerships (
	seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	id          TEXT             NOT NULL UNIQUE,
	source      TEXT             NOT NULL,
	record      TEXT             NOT NULL DEFAULT '',
	owner       TEXT             NOT NULL,
	owned       TEXT             NOT NULL,
	share       TEXT             NOT NULL DEFAULT '',
	share_min   DOUBLE PRECISION NOT NULL DEFAULT 0,
	share_max   DOUBLE PRECISION NOT NULL DEFAULT 0,
	share_known BOOLEAN          NOT NULL DEFAULT FALSE,
	role        TEXT             NOT NULL DEFAULT '',
	control     BOOLEAN          NOT NULL DEFAULT FALSE,
	valid_from  TEXT             NOT NULL DEFAULT '',
	valid_to    TEXT             NOT NULL DEFAULT '',
	created_at  TIMESTAMPTZ      NOT NULL
);

CREATE INDEX ownerships_source ON ownerships (source, seq);
CREATE INDEX ownerships_owner ON ownerships (owner);
CREATE INDEX ownerships_owned ON ownerships (owned);

-- +goose Down
DROP TABLE ownerships;
