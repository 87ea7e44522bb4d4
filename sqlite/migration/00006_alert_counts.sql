-- +goose Up
-- The alert queue's counts by list, state and assignee, kept by triggers
-- (which also keep alert_lists, the index of alerts by list),
-- so that the total of a queue page filtered by any of them is a sum of a
-- few rows. list '' counts every alert once; a list counts the alerts
-- with a listing on it.
DROP TRIGGER alerts_insert;
DROP TRIGGER alerts_state;
DROP TRIGGER alerts_delete;
DROP TABLE alert_counts;

CREATE TABLE alert_counts (
	list     TEXT    NOT NULL,
	state    TEXT    NOT NULL,
	assignee TEXT    NOT NULL,
	n        INTEGER NOT NULL,
	PRIMARY KEY (list, state, assignee)
) WITHOUT ROWID;

INSERT INTO alert_counts (list, state, assignee, n)
SELECT k.list, a.state, a.assignee, COUNT(*) FROM alerts a,
	(SELECT '' AS list, seq FROM alerts UNION SELECT json_extract(l.value, '$.list'), a2.seq FROM alerts a2, json_each(a2.listings) l) k
WHERE k.seq = a.seq
GROUP BY k.list, a.state, a.assignee;

-- +goose StatementBegin
CREATE TRIGGER alert_counts_insert AFTER INSERT ON alerts BEGIN
	INSERT INTO alert_counts (list, state, assignee, n)
		SELECT k.list, NEW.state, NEW.assignee, 1 FROM (SELECT '' AS list UNION SELECT json_extract(value, '$.list') FROM json_each(NEW.listings)) k WHERE true
		ON CONFLICT (list, state, assignee) DO UPDATE SET n = n + 1;
	INSERT OR IGNORE INTO alert_lists (list, seq) SELECT json_extract(value, '$.list'), NEW.seq FROM json_each(NEW.listings);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER alert_counts_update AFTER UPDATE OF state, assignee, listings ON alerts
WHEN OLD.state <> NEW.state OR OLD.assignee <> NEW.assignee OR OLD.listings <> NEW.listings BEGIN
	UPDATE alert_counts SET n = n - 1 WHERE state = OLD.state AND assignee = OLD.assignee
		AND list IN (SELECT '' UNION SELECT json_extract(value, '$.list') FROM json_each(OLD.listings));
	INSERT INTO alert_counts (list, state, assignee, n)
		SELECT k.list, NEW.state, NEW.assignee, 1 FROM (SELECT '' AS list UNION SELECT json_extract(value, '$.list') FROM json_each(NEW.listings)) k WHERE true
		ON CONFLICT (list, state, assignee) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER alert_counts_delete AFTER DELETE ON alerts BEGIN
	UPDATE alert_counts SET n = n - 1 WHERE state = OLD.state AND assignee = OLD.assignee
		AND list IN (SELECT '' UNION SELECT json_extract(value, '$.list') FROM json_each(OLD.listings));
	DELETE FROM alert_lists WHERE seq = OLD.seq;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER alert_counts_delete;
DROP TRIGGER alert_counts_update;
DROP TRIGGER alert_counts_insert;
DROP TABLE alert_counts;
CREATE TABLE alert_counts (state TEXT NOT NULL PRIMARY KEY, n INTEGER NOT NULL);
INSERT INTO alert_counts (state, n) SELECT state, COUNT(*) FROM alerts GROUP BY state;

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
CREATE TRIGGER alerts_delete AFTER DELETE ON alerts BEGIN
	UPDATE alert_counts SET n = n - 1 WHERE state = OLD.state;
	DELETE FROM alert_lists WHERE seq = OLD.seq;
END;
-- +goose StatementEnd
