"""The candidate's mailbox (messagerie): messages delivered by scenario events
and messages the candidate writes to customers, suppliers, carriers,
management and accounting (CP3, and the evidence of when an event was noticed)."""
