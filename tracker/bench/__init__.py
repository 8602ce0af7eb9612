"""The scale benchmark's data: a large plan, built fast and the same every time."""
