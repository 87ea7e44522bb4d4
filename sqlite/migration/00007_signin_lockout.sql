-- +goose Up
-- Wrong passwords since the last good sign-in, and the end of a lockout
-- ('' for none; otherwise the format of created_at).
ALTER TABLE users ADD COLUMN failed_signins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE users DROP COLUMN locked_until;
ALTER TABLE users DROP COLUMN failed_signins;
