"""Charts as small PNG pictures drawn from plain data (never from the database): a follow-up indicator's trend
across rounds, complaints per month and category, and a generic grouped bar chart. `images` turns each into a
`messages.message.Image` with its Swedish description; `canvas` holds the one place matplotlib is set up."""
