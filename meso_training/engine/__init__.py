"""The engine: pure grading (one grader per question type), case flow and the module session.

No widgets, no storage, no clock of its own: inputs in, results out.
"""
