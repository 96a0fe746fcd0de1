"""PDF documents of a case: 受理回执, 一次性告知书, 不予受理 / 不予批准通知书 (see render.py)."""
