-- +goose Up
CREATE TABLE users (
	name          TEXT    NOT NULL PRIMARY KEY,
	role          TEXT    NOT NULL,
	password_hash TEXT    NOT NULL DEFAULT '',
	disabled      INTEGER NOT NULL DEFAULT 0,
	created_at    TEXT    NOT NULL,
	updated_at    TEXT    NOT NULL
);

CREATE TABLE api_keys (
	id         TEXT NOT NULL PRIMARY KEY,
	user_name  TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
	label      TEXT NOT NULL DEFAULT '',
	hash       TEXT NOT NULL,
	created_at TEXT NOT NULL
);

CREATE INDEX api_keys_user ON api_keys (user_name, created_at);

CREATE TABLE sessions (
	id         TEXT NOT NULL PRIMARY KEY,
	user_name  TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
	csrf_token TEXT NOT NULL,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
);

CREATE INDEX sessions_user ON sessions (user_name);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- +goose Down
DROP TABLE sessions;
DROP TABLE api_keys;
DROP TABLE users;
