"""The chat edge: listeners that turn chat payloads into calls on bot/ and results into replies."""
