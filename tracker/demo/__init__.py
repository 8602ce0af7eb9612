"""`tracker demo`: a fresh database with the Zhengzhou plan, accounts and history, served locally."""
