"""Figure functions for each report, in the house style of analysis.plots."""
