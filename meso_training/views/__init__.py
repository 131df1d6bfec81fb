"""Thin ipywidgets views over the session: they show state and hand answers back.

Grading happens in the kernel; no widget trait ever holds which answer is right before
the trainee has answered.
"""
