"""Reading the audit log: the 审计管理员's page, exports, `tracker audit …`, the chain's check and pruning."""
