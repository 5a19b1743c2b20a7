"""The evaluator: expectations scored against the journal and the final state."""
