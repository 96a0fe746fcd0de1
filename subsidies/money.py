"""Money is integer fen; yuan only for display (no float anywhere)."""


def yuan(fen: int | None) -> str:
    """12345 → "123.45"."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    fen = abs(int(fen))
    return f"{sign}{fen // 100:,}.{fen % 100:02d}"
