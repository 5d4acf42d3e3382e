"""The personal view ("my tasks"): what one person must do now, then what the plan sends them in two weeks."""
