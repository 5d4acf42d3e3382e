"""BAS surveys to the member municipalities: rounds, who is asked, answers, reminders, results and exports."""
