DROP TABLE statistics_snapshots;
