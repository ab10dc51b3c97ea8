"""Deadline warnings by e-mail: policy (what is due), scan (the job), mail (render + send).

Layering: notifier → disclosure → rules, never back.
"""
