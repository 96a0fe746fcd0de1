import secrets
from datetime import date

# Crockford base32 without I, L, O, U: readable aloud, no look-alikes.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def case_number_new(*, jurisdiction_code: str, on: date) -> str:
    """办件编号 such as SXKQ-20261123-7K3Q9M: place, day, 6 random characters (30 bits).

    Readable, and not an access key: every read still checks who is asking.
    """
    place = jurisdiction_code.replace(".", "").upper()[:6]
    suffix = "".join(secrets.choice(_ALPHABET) for _ in range(6))
    return f"{place}-{on:%Y%m%d}-{suffix}"
