"""The plan as imported: plans, sections, tasks, units, groups and who answers for what."""
