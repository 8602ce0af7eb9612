"""Quarterly reporting: periods, the obligations they create, reports and their versions."""
