"""Extraction over the final normalised text: every span indexes ``Announcement.text``."""
