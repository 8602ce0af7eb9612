"""The plan's quantified indicators (主要指标): yearly values against targets, and peer cities."""
