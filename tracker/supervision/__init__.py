"""The supervision office (督查室): lights, lagging tasks, review, escalation, compliance, the ledger."""
