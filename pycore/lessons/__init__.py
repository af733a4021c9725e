"""Compute functions of the course's lessons, one module per lesson."""
