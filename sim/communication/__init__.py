"""Communication supports (CP5): offers, newsletters, invitations and social posts."""
