"""The web layer: FastAPI routes that parse, call one service and render."""
