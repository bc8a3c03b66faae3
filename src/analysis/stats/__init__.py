"""Statistics on the curated and processed tables; import the submodule you need (series, trends, flows, waves,
survival, sentencing, ranking)."""
