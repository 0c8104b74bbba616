"""The resident journey: answer store, routing through the questions, save and resume."""
