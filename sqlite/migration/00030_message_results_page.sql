-- +goose Up
-- Pages of held or released results, newest first: the index keeps each
-- decision's results in the order they were stored (rowid).
CREATE INDEX message_results_decision_page ON message_results (decision);

-- +goose Down
DROP INDEX message_results_decision_page;
