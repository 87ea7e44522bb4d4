-- +goose Up
-- The alert queue's counts and its filter by list, kept by triggers so
-- that a page of the queue never scans the alerts.
CREATE TABLE alert_counts (state TEXT NOT NULL PRIMARY KEY, n INTEGER NOT NULL);
INSERT INTO alert_counts (state, n) SELECT state, COUNT(*) FROM alerts GROUP BY state;

CREATE TABLE alert_lists (list TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (list, seq)) WITHOUT ROWID;
INSERT OR IGNORE INTO alert_lists (list, seq) SELECT json_extract(l.value, '$.list'), a.seq FROM alerts a, json_each(a.listings) l;

-- +goose StatementBegin
CREATE TRIGGER alerts_insert AFTER INSERT ON alerts BEGIN
	INSERT INTO alert_counts (state, n) VALUES (NEW.state, 1) ON CONFLICT (state) DO UPDATE SET n = n + 1;
	INSERT OR IGNORE INTO alert_lists (list, seq) SELECT json_extract(value, '$.list'), NEW.seq FROM json_each(NEW.listings);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER alerts_state AFTER UPDATE OF state ON alerts WHEN OLD.state <> NEW.state BEGIN
	UPDATE alert_counts SET n = n - 1 WHERE state = OLD.state;
	INSERT INTO alert_counts (state, n) VALUES (NEW.state, 1) ON CONFLICT (state) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER alerts_listings AFTER UPDATE OF listings ON alerts WHEN OLD.listings <> NEW.listings BEGIN
	DELETE FROM alert_lists WHERE seq = NEW.seq;
	INSERT OR IGNORE INTO alert_lists (list, seq) SELECT json_extract(value, '$.list'), NEW.seq FROM json_each(NEW.listings);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER alerts_delete AFTER DELETE ON alerts BEGIN
	UPDATE alert_counts SET n = n - 1 WHERE state = OLD.state;
	DELETE FROM alert_lists WHERE seq = OLD.seq;
END;
-- +goose StatementEnd

DROP INDEX alerts_assignee;
CREATE INDEX alerts_assignee ON alerts (assignee, state, seq);

-- +goose Down
DROP INDEX alerts_assignee;
CREATE INDEX alerts_assignee ON alerts (assignee, seq);
DROP TRIGGER alerts_delete;
DROP TRIGGER alerts_listings;
DROP TRIGGER alerts_state;
DROP TRIGGER alerts_insert;
DROP TABLE alert_lists;
DROP TABLE alert_counts;
