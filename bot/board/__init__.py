"""The board's (direktion's) cycle: preparation before each meeting, the decisions recorded after it, a digest for
each audience, and the tasks that decisions give."""
