"""Helpers for the distillation lab notebook (`lab/distillation_lab.py`)."""
