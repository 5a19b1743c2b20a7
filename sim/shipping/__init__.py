"""Shipping: carriers' services and rates, bookings, tracking, reserves and
carrier protests, freight lines, Incoterms® 2020 (issue 11, CP2)."""
