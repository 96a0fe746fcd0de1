"""Subsidies and rewards (绍柯政办发〔2020〕1号 二(二)4–5): entitlements created by registration, dated facts
that decide each period, set-based payment runs scheduled by Celery beat, the 5-year commitment and
recoveries. Business rules live in ``subsidies.services`` (and ``subsidies.rules`` for when a program
pays); the receiver, tasks, admin, API and command only call them."""
