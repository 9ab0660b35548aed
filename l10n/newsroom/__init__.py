"""Newsroom integration: IPTC ninjs in and out, feeds and schedules, pushing results."""
