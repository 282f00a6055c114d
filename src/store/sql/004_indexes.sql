-- Indexes for the "Việc của đơn vị" look-ups (groups by kind) and the timeline.
CREATE INDEX units_kind ON units(kind);
CREATE INDEX update_files_sha ON update_files(sha256);
