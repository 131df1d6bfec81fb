"""Cohort analytics: how each question and each module performed across trainees (reads storage)."""
