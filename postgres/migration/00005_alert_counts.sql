-- +goose Up
-- The alert queue's counts by list, state and assignee, kept by a trigger
-- in the transaction that changes the alert, so that a page of the queue
-- never counts the alerts. list '' counts every alert once; a list counts
-- the alerts with a listing on it.
CREATE TABLE alert_counts (
	list     TEXT   NOT NULL,
	state    TEXT   NOT NULL,
	assignee TEXT   NOT NULL,
	n        BIGINT NOT NULL,
	PRIMARY KEY (list, state, assignee)
);

INSERT INTO alert_counts (list, state, assignee, n)
SELECT k.list, a.state, a.assignee, COUNT(*) FROM alerts a,
	LATERAL (SELECT '' AS list UNION SELECT l->>'list' FROM jsonb_array_elements(a.listings::jsonb) l) k
GROUP BY k.list, a.state, a.assignee;

-- The trigger adds the alert's new keys and takes its old ones away, one
-- row at a time in key order: every transaction locks the count rows in
-- the same order, so that two transactions changing alerts wait for each
-- other but never deadlock.
-- +goose StatementBegin
CREATE FUNCTION alert_counts_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	d RECORD;
	old_state TEXT; old_assignee TEXT; old_listings TEXT := '[]';
	new_state TEXT; new_assignee TEXT; new_listings TEXT := '[]';
BEGIN
	IF TG_OP <> 'INSERT' THEN
		old_state := OLD.state; old_assignee := OLD.assignee; old_listings := OLD.listings;
	END IF;
	IF TG_OP <> 'DELETE' THEN
		new_state := NEW.state; new_assignee := NEW.assignee; new_listings := NEW.listings;
	END IF;
	IF TG_OP = 'UPDATE' AND old_state = new_state AND old_assignee = new_assignee AND old_listings = new_listings THEN
		RETURN NULL;
	END IF;
	FOR d IN
		WITH delta (list, state, assignee, n) AS (
			SELECT k.list, old_state, old_assignee, -1 FROM
				(SELECT '' AS list UNION SELECT l->>'list' FROM jsonb_array_elements(old_listings::jsonb) l) k
			WHERE old_state IS NOT NULL
			UNION ALL
			SELECT k.list, new_state, new_assignee, 1 FROM
				(SELECT '' AS list UNION SELECT l->>'list' FROM jsonb_array_elements(new_listings::jsonb) l) k
			WHERE new_state IS NOT NULL)
		SELECT list, state, assignee, SUM(n) AS n FROM delta GROUP BY list, state, assignee HAVING SUM(n) <> 0
		ORDER BY list, state, assignee
	LOOP
		INSERT INTO alert_counts AS c (list, state, assignee, n) VALUES (d.list, d.state, d.assignee, d.n)
			ON CONFLICT (list, state, assignee) DO UPDATE SET n = c.n + excluded.n;
	END LOOP;
	RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER alert_counts_sync AFTER INSERT OR DELETE OR UPDATE OF state, assignee, listings ON alerts
	FOR EACH ROW EXECUTE FUNCTION alert_counts_sync();

-- +goose Down
DROP TRIGGER alert_counts_sync ON alerts;
DROP FUNCTION alert_counts_sync();
DROP TABLE alert_counts;
