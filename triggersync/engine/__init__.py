"""Model and normalisation, diff, Plan, the saved-plan file, apply, export."""
