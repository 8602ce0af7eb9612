"""Pieces every domain shares: errors, audit, working days, i18n markers."""
