"""Samverkan's domain: configuration, the communication plan, delivery, the scheduler tick, the CLI."""
