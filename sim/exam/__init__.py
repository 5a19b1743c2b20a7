"""Exam sessions: one scenario run for a room of candidates (or one candidate
practising alone), each in an identical copy of the scenario's company, under
one simulated clock that the trainer controls."""
