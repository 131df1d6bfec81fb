"""Authoring: finding a course, reading its YAML, checking it (loader, rules, lint, coverage) and caching the result.

Everything that turns an instructor's files into the model, with every problem located by file and line.
"""
