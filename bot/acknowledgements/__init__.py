"""Acknowledgements ("Kvitterat"): who has confirmed receiving what, for board digests and plan items."""
