-- +goose Up
-- A lease on each unfinished job: the replica running it (lease_holder)
-- and until when (lease_expires, renewed as the job makes progress). A
-- job whose lease has expired is claimed by one other replica, with
-- UPDATE ... WHERE lease_expires < now(), and run again there.
ALTER TABLE jobs ADD COLUMN lease_holder TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN lease_expires TIMESTAMPTZ;
CREATE INDEX jobs_unfinished ON jobs (state) WHERE state IN ('queued', 'running');

-- +goose Down
DROP INDEX jobs_unfinished;
ALTER TABLE jobs DROP COLUMN lease_expires;
ALTER TABLE jobs DROP COLUMN lease_holder;
