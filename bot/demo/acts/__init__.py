"""The demo's acts: the communication plan, a follow-up round, feedback and complaints."""
