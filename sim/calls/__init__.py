"""Phone calls with oral evidence: the customer's voice, the candidate's recorded answer."""
