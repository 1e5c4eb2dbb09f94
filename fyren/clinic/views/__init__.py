"""The clinician workspace's pages, one module per feature (the same names as
the feature apps and the unit's menu)."""
