-- +goose Up
-- The alert queue's filter by list, kept by a trigger so that a page of
-- the queue never scans the alerts.
CREATE TABLE alert_lists (list TEXT NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (list, seq));
INSERT INTO alert_lists (list, seq) SELECT DISTINCT l->>'list', a.seq FROM alerts a, jsonb_array_elements(a.listings::jsonb) l;

-- +goose StatementBegin
CREATE FUNCTION alert_lists_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' THEN
		IF OLD.listings = NEW.listings THEN
			RETURN NULL;
		END IF;
		DELETE FROM alert_lists WHERE seq = NEW.seq;
	END IF;
	INSERT INTO alert_lists (list, seq) SELECT DISTINCT l->>'list', NEW.seq FROM jsonb_array_elements(NEW.listings::jsonb) l
		ON CONFLICT DO NOTHING;
	RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER alert_lists_sync AFTER INSERT OR UPDATE OF listings ON alerts FOR EACH ROW EXECUTE FUNCTION alert_lists_sync();

DROP INDEX alerts_assignee;
CREATE INDEX alerts_assignee ON alerts (assignee, state, seq);

-- +goose Down
DROP INDEX alerts_assignee;
CREATE INDEX alerts_assignee ON alerts (assignee, seq);
DROP TRIGGER alert_lists_sync ON alerts;
DROP FUNCTION alert_lists_sync();
DROP TABLE alert_lists;
