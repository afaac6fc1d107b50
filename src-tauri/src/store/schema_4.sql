-- Status words now match whatever their case, spaces, underscores and
-- dashes ("closed_won" is "Closed - Won"), and metrics.md has more of them:
-- the rollup of a store made before is counted again on the next open.
INSERT INTO meta (key, value) VALUES ('rebuild_rollup', 1)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
