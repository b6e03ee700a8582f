"""Numbered SQL migrations of the event store (NNNN_name.sql), applied by pantau.store."""
