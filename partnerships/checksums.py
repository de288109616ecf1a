"""Valid Belgian numbers made from a counter, for demo, test and benchmark data.

The one place that computes the check digits the validators in `validators.py` verify:
`seed_demo`, `tests/factories.py` and `bench/generate.py` all build their numbers here.
"""

import datetime


def enterprise_number(first8: int) -> str:
    """A valid KBO number: 0 + seven digits (`first8` < 10,000,000), then 97 - (mod 97)."""
    if not 0 <= first8 < 10_000_000:
        raise ValueError("an enterprise number has 0 and seven digits before its check digits")
    return f"0{first8:07d}{97 - (first8 % 97):02d}"


def national_register_number(born: datetime.date, serial: int) -> str:
    """A valid national register number for someone born on `born` with serial 1–997.

    The check digits are 97 - (the first nine digits mod 97), with a 2 in front of those
    nine digits for people born in 2000 or later (the register's rule).
    """
    if not 1 <= serial <= 997:
        raise ValueError("the serial of a national register number lies between 1 and 997")
    # The register's digits, not a date for people: YYMMDD then the serial.
    first9 = f"{born.year % 100:02d}{born.month:02d}{born.day:02d}{serial:03d}"
    number = int(first9) + (2_000_000_000 if born.year >= 2000 else 0)
    return f"{first9}{97 - (number % 97):02d}"
