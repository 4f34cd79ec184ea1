"""`tsur bench`: how the warehouse scales — ingest, builds, dashboard queries and memory at N times the sample year."""
