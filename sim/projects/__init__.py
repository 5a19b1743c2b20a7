"""Commercial action projects (CP7): a trade show, a product launch or a
promotion, with its objectives, checklist, schedule, budget and review."""
